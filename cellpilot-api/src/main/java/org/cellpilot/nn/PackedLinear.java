package org.cellpilot.nn;

import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * {@code nn.Linear} over a weight and an optional bias, with the weight reordered once, at load, into
 * oneDNN's layout when {@link OneDnn} can run it, and the bias, a GELU or a residual added in the product's own
 * pass. Otherwise (another device, a reduced-precision weight, oneDNN off) it is {@link Layers#linear} followed by
 * the separate op.
 */
public final class PackedLinear implements AutoCloseable {
    /** Not owned: the checkpoint's tensors, or the owner's. */
    private final Tensor weight;
    private final Tensor bias;
    /** oneDNN's copy of the weight, or null. */
    private final Tensor packed;

    /** {@code name.weight} and, if present, {@code name.bias}; see {@link #PackedLinear(Tensor, Tensor, long)}. */
    public PackedLinear(Weights w, String name, long rows) {
        this(w.get(name + ".weight"), w.optional(name + ".bias"), rows);
    }

    /**
     * @param weight [out, in], which must outlive this
     * @param bias   [out] or null, which must outlive this
     * @param rows   the usual number of input rows, which oneDNN may use to choose the weight's layout
     */
    public PackedLinear(Tensor weight, Tensor bias, long rows) {
        this.weight = weight;
        this.bias = bias;
        this.packed = OneDnn.usable(weight) ? Scope.detach(Ops.packLinearWeight(weight, rows)) : null;
        if (packed != null) {
            // The packed copy serves every product from now on; a checkpoint's mapped original need not stay resident.
            weight.releaseFilePages();
        }
    }

    /** x·Wᵀ + b. */
    public Tensor forward(Tensor x) {
        return packedFor(x) ? Ops.linearPacked(x, packed, bias, "none") : Layers.linear(x, weight, bias);
    }

    /** GELU(x·Wᵀ + b), the exact (erf) GELU. */
    public Tensor forwardGelu(Tensor x) {
        return packedFor(x) ? Ops.linearPacked(x, packed, bias, "gelu") : Ops.gelu(Layers.linear(x, weight, bias));
    }

    /** x·Wᵀ + b + residual. */
    public Tensor forwardAdd(Tensor x, Tensor residual) {
        return packedFor(x) ? Ops.linearPackedAdd(x, packed, bias, residual) : Ops.add(residual, Layers.linear(x, weight, bias));
    }

    private boolean packedFor(Tensor x) {
        return packed != null && OneDnn.usable(x);
    }

    @Override
    public void close() {
        if (packed != null) {
            packed.close();
        }
    }
}
