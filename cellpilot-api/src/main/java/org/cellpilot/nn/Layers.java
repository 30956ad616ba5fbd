package org.cellpilot.nn;

import org.cellpilot.torch.DType;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Tensor;

/** The small building blocks shared by SAM and CellViT, over named weights. */
public final class Layers {
    private Layers() {
    }

    /**
     * {@code nn.Linear} with weight {@code name.weight} and, if present, {@code name.bias}. When the weights were
     * stored in a reduced precision (a bf16 encoder), the product runs in it and the result comes back in the
     * input's dtype, so everything around the linear layers stays float32.
     */
    public static Tensor linear(Tensor x, Weights w, String name) {
        return linear(x, w.get(name + ".weight"), w.optional(name + ".bias"));
    }

    /** {@link #linear(Tensor, Weights, String)} over a weight and an optional bias. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        DType dtype = x.dtype();
        if (weight.dtype() == dtype) {
            return Ops.linear(x, weight, bias);
        }
        return Ops.to(Ops.linear(Ops.to(x, weight.dtype()), weight, bias), dtype);
    }

    /** {@code nn.LayerNorm} over the last dimension. */
    public static Tensor layerNorm(Tensor x, Weights w, String name, double eps) {
        Tensor weight = w.get(name + ".weight");
        return Ops.layerNorm(x, weight.shape(), weight, w.get(name + ".bias"), eps);
    }

    /**
     * SAM's {@code LayerNorm2d}: normalises NCHW over C. It runs as {@code layer_norm} on the NHWC permutation,
     * which equals the reference's mean/variance formula up to float rounding.
     */
    public static Tensor layerNorm2d(Tensor x, Weights w, String name, double eps) {
        Tensor nhwc = Ops.permute(x, 0, 2, 3, 1);
        return Ops.permute(layerNorm(nhwc, w, name, eps), 0, 3, 1, 2);
    }

    /** {@code nn.Conv2d} with weight {@code name.weight} and optional {@code name.bias}. */
    public static Tensor conv2d(Tensor x, Weights w, String name, int stride, int padding) {
        return Ops.conv2d(x, w.get(name + ".weight"), w.optional(name + ".bias"), stride, padding);
    }

    /** {@code nn.ConvTranspose2d} without padding, with weight {@code name.weight} and optional {@code name.bias}. */
    public static Tensor convTranspose2d(Tensor x, Weights w, String name, int stride) {
        return Ops.convTranspose2d(x, w.get(name + ".weight"), w.optional(name + ".bias"), stride, 0, 0);
    }
}
