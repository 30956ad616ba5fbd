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
     * The run of {@code block} children (those with a {@code block.0.weight}), then, when {@code last} is not null,
     * one more child of another kind: the checkpoint says how many blocks there are, the architecture says what
     * they are.
     */
    static Sequential of(Params p, Function<Params, Layer> block, Function<Params, Layer> last) {
        int n = p.count("block.0.weight");
        if (n == 0 && last == null) {
            throw new IllegalArgumentException("checkpoint has no tensor '" + p.key("0.block.0.weight") + "'");
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            layers.add(block.apply(p.child(i)));
        }
        if (last != null) {
            layers.add(last.apply(p.child(n)));
        }
        return new Sequential(layers);
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
