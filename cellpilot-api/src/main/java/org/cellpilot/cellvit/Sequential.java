package org.cellpilot.cellvit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/** An {@code nn.Sequential}: its children {@code 0, 1, …} applied in order. */
final class Sequential implements Layer {
    private final List<Layer> layers;

    private Sequential(List<Layer> layers) {
        this.layers = layers;
    }

    /**
     * The run of {@code block} children (those with a {@code block.0.weight}) of the sequential {@code w}: the
     * checkpoint says how many there are, the architecture says what they are.
     */
    static Sequential of(Weights w, BiFunction<Weights, String, Layer> block) {
        List<Layer> layers = blocks(w, block);
        if (layers.isEmpty()) {
            w.require("0.block.0.weight"); // fails, naming the first block the checkpoint lacks
        }
        return new Sequential(layers);
    }

    /** The run of {@code block} children, then one child of another kind, built by {@code last}. */
    static Sequential of(Weights w, BiFunction<Weights, String, Layer> block, BiFunction<Weights, String, Layer> last) {
        List<Layer> layers = blocks(w, block);
        layers.add(last.apply(w, Integer.toString(layers.size())));
        return new Sequential(layers);
    }

    private static List<Layer> blocks(Weights w, BiFunction<Weights, String, Layer> block) {
        List<Layer> layers = new ArrayList<>();
        while (w.has(layers.size() + ".block.0.weight")) {
            layers.add(block.apply(w, Integer.toString(layers.size())));
        }
        return layers;
    }

    @Override
    public Tensor forward(Tensor x) {
        try (Scope scope = Scope.open()) {
            Tensor y = x;
            for (Layer layer : layers) {
                y = layer.forward(y);
            }
            return scope.keep(y);
        }
    }
}
