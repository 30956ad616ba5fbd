package org.cellpilot.cellvit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/** An {@code nn.Sequential}: its children {@code 0, 1, …} applied in order. */
final class Sequential implements Layer {
    private final List<Layer> layers;

    private Sequential(List<Layer> layers) {
        this.layers = layers;
    }

    /**
     * The run of {@code block} children (those with a {@code block.0.weight}): the checkpoint says how many there
     * are, the architecture says what they are.
     */
    static Sequential of(Params p, Function<Params, Layer> block) {
        List<Layer> layers = blocks(p, block);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("checkpoint has no tensor '" + p.key("0.block.0.weight") + "'");
        }
        return new Sequential(layers);
    }

    /** The run of {@code block} children, then one child of another kind, built by {@code last}. */
    static Sequential of(Params p, Function<Params, Layer> block, Function<Params, Layer> last) {
        List<Layer> layers = blocks(p, block);
        layers.add(last.apply(p.child(layers.size())));
        return new Sequential(layers);
    }

    private static List<Layer> blocks(Params p, Function<Params, Layer> block) {
        int n = p.count("block.0.weight");
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            layers.add(block.apply(p.child(i)));
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
