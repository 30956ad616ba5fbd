package org.cellpilot.cellvit;

import java.util.List;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * The checkpoint seen from one module's prefix, like a PyTorch submodule. Every tensor it loads joins the model's
 * list of owned weights, so the model frees them all when it closes, whatever component asked for them.
 */
final class Params {
    private final Weights weights;
    private final String prefix;
    private final List<Tensor> owned;

    Params(Weights weights, List<Tensor> owned) {
        this(weights, "", owned);
    }

    private Params(Weights weights, String prefix, List<Tensor> owned) {
        this.weights = weights;
        this.prefix = prefix;
        this.owned = owned;
    }

    Params child(String name) {
        return new Params(weights, prefix + name + ".", owned);
    }

    Params child(int index) {
        return child(Integer.toString(index));
    }

    boolean has(String name) {
        return weights.contains(key(name));
    }

    /** How many numbered children {@code 0, 1, …} hold {@code name}: the length of an {@code nn.Sequential} run. */
    int count(String name) {
        int n = 0;
        while (has(n + "." + name)) {
            n++;
        }
        return n;
    }

    /** The full checkpoint key of {@code name}, for messages. */
    String key(String name) {
        return prefix + name;
    }

    Tensor get(String name) {
        // Weights outlive any scope that happens to be open while the model loads.
        Tensor t = Scope.detach(weights.get(key(name)));
        owned.add(t);
        return t;
    }
}
