package org.cellpilot.nn;

import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * {@code nn.Linear} over {@code name.weight} and {@code name.bias}, with the weight reordered once, at load, into
 * oneDNN's layout when {@link OneDnn} can run it, and the bias, a GELU or a residual added in the product's own
 * pass. Otherwise (another device, a reduced-precision weight, oneDNN off) it is {@link Layers#linear} followed by
 * the separate op.
 */
public final class PackedLinear implements AutoCloseable {
    private final Weights w;
    private final String name;
    /** oneDNN's copy of the weight, or null. */
    private final Tensor packed;

    /** @param rows the usual number of input rows, which oneDNN may use to choose the weight's layout */
    public PackedLinear(Weights w, String name, long rows) {
        this.w = w;
        this.name = name;
        Tensor weight = w.get(name + ".weight");
        this.packed = OneDnn.usable(weight) ? Scope.detach(Ops.packLinearWeight(weight, rows)) : null;
    }

    /** x·Wᵀ + b. */
    public Tensor forward(Tensor x) {
        return packedFor(x) ? Ops.linearPacked(x, packed, bias(), "none") : Layers.linear(x, w, name);
    }

    /** GELU(x·Wᵀ + b), the exact (erf) GELU. */
    public Tensor forwardGelu(Tensor x) {
        return packedFor(x) ? Ops.linearPacked(x, packed, bias(), "gelu") : Ops.gelu(Layers.linear(x, w, name));
    }

    /** x·Wᵀ + b + residual. */
    public Tensor forwardAdd(Tensor x, Tensor residual) {
        return packedFor(x) ? Ops.linearPackedAdd(x, packed, bias(), residual) : Ops.add(residual, Layers.linear(x, w, name));
    }

    private boolean packedFor(Tensor x) {
        return packed != null && OneDnn.usable(x);
    }

    private Tensor bias() {
        return w.optional(name + ".bias");
    }

    @Override
    public void close() {
        if (packed != null) {
            packed.close();
        }
    }
}
