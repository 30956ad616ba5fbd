package org.cellpilot.torch;

import static org.cellpilot.torch.Dispatch.one;
import static org.cellpilot.torch.Dispatch.opt;

import java.util.Arrays;
import org.cellpilot.torch.spi.NativeCallException;
import org.cellpilot.torch.spi.TorchBackend;

/**
 * Typed ATen operators. Each returns a new tensor owned by the current {@link Scope} (or by the caller when no
 * scope is open). A failing op throws {@link TorchException} naming the op and its inputs' shapes and dtypes.
 */
public final class Ops {
    private Ops() {
    }

    // ---- layers ---------------------------------------------------------------------------------------------

    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return one("aten::linear", "", x, weight, optional(bias));
    }

    /**
     * A linear layer's weight [out, in] reordered once into oneDNN's blocked layout (an opaque MKLDNN tensor), for
     * {@link #linearPacked}. {@code rows} is the typical number of input rows, which oneDNN may use to pick the layout.
     */
    public static Tensor packLinearWeight(Tensor weight, long rows) {
        return one("mkldnn::_reorder_linear_weight", "", weight, opt(rows));
    }

    /**
     * x·Wᵀ + bias through oneDNN's inner product with a weight from {@link #packLinearWeight}, followed, in the same
     * pass, by {@code activation}: "none", or "gelu" (exact, erf).
     */
    public static Tensor linearPacked(Tensor x, Tensor packedWeight, Tensor bias, String activation) {
        return one("mkldnn::_linear_pointwise", "", x, packedWeight, optional(bias), activation, new long[0],
                "gelu".equals(activation) ? opt("none") : null);
    }

    /** x·Wᵀ + bias + residual in one oneDNN pass (a post-op sum), with a weight from {@link #packLinearWeight}. */
    public static Tensor linearPackedAdd(Tensor x, Tensor packedWeight, Tensor bias, Tensor residual) {
        return one("mkldnn::_linear_pointwise", "binary", x, residual, packedWeight, optional(bias), "add");
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, stride, padding, 1, 1);
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return one("aten::conv2d", "", x, weight, optional(bias), pair(stride), pair(padding), pair(dilation), (long) groups);
    }

    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding) {
        return one("aten::conv_transpose2d", "input", x, weight, optional(bias), pair(stride), pair(padding),
                pair(outputPadding), 1L, pair(1));
    }

    /** Normalises over the last {@code normalizedShape.length} dimensions. */
    public static Tensor layerNorm(Tensor x, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return one("aten::layer_norm", "", x, normalizedShape, optional(weight), optional(bias), eps, true);
    }

    /** Batch norm in inference mode: running statistics, no update. */
    public static Tensor batchNorm(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, double eps) {
        return one("aten::batch_norm", "", x, optional(weight), optional(bias), optional(runningMean), optional(runningVar),
                false, 0.1, eps, true);
    }

    /** Exact (erf) GELU, as {@code nn.GELU()}. */
    public static Tensor gelu(Tensor x) {
        return one("aten::gelu", "", x, "none");
    }

    public static Tensor relu(Tensor x) {
        return one("aten::relu", "", x);
    }

    /**
     * ReLU written over {@code x} itself, for a fresh intermediate that nothing else reads: no second buffer the
     * size of a feature map. Returns a new handle to {@code x}.
     */
    public static Tensor reluInPlace(Tensor x) {
        return one("aten::relu_", "", x);
    }

    public static Tensor sigmoid(Tensor x) {
        return one("aten::sigmoid", "", x);
    }

    public static Tensor softmax(Tensor x, int dim) {
        return one("aten::softmax", "int", x, (long) dim, null);
    }

    public static Tensor matmul(Tensor a, Tensor b) {
        return one("aten::matmul", "", a, b);
    }

    public static Tensor bmm(Tensor a, Tensor b) {
        return one("aten::bmm", "", a, b);
    }

    /** a @ b for batches of matrices, written into {@code out} (which may be a view); returns {@code out}. */
    public static Tensor bmmInto(Tensor out, Tensor a, Tensor b) {
        one("aten::bmm", "out", a, b, out).close();
        return out;
    }

    /** bias + alpha·(a @ b) for batches of matrices: a [B, n, k], b [B, k, m], bias broadcastable to [B, n, m]. */
    public static Tensor baddbmm(Tensor bias, Tensor a, Tensor b, double alpha) {
        TorchBackend be = Torch.opBackend();
        int deviceType = be.deviceType(a.handle());
        if (!be.hasBaddbmm(deviceType)) {
            try (Tensor product = Scope.detach(bmm(a, b)); Tensor scaled = Scope.detach(mul(product, alpha))) {
                return add(scaled, bias);
            }
        }
        long[] shape = {a.size(0), a.size(1), b.size(2)};
        Tensor out = Tensor.empty(a.dtype(), a.device(), shape);
        try {
            be.baddbmmOut(out.handle(), bias.handle(), a.handle(), b.handle(), 1.0, alpha, deviceType);
        } catch (NativeCallException e) {
            try (out) {
                throw Dispatch.failure(e, () -> be.baddbmmOut(out.handle(), bias.handle(), a.handle(), b.handle(), 1.0, alpha, deviceType),
                        "aten::baddbmm.out", bias, a, b);
            }
        }
        return out;
    }

    /** softmax(q·kᵀ·scale + bias)·v; {@code bias} may be null, {@code scale} NaN for 1/√d. */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor bias, double scale) {
        return one("aten::scaled_dot_product_attention", "", q, k, v, optional(bias), 0.0, false,
                Double.isNaN(scale) ? null : opt(scale), false);
    }

    // ---- arithmetic -----------------------------------------------------------------------------------------

    public static Tensor add(Tensor a, Tensor b) {
        return addScaled(a, b, 1.0, "add");
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return addScaled(a, b, -1.0, "sub");
    }

    private static Tensor addScaled(Tensor a, Tensor b, double alpha, String name) {
        return typed("aten::" + name + ".Tensor", a, b, (be, device) -> be.addTensor(a.handle(), b.handle(), alpha, device));
    }

    public static Tensor add(Tensor a, double b) {
        return typed("aten::add.Scalar", a, b, (be, device) -> be.addScalar(a.handle(), b, 1.0, device));
    }

    public static Tensor sub(Tensor a, double b) {
        return add(a, -b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return one("aten::mul", "Tensor", a, b);
    }

    public static Tensor mul(Tensor a, double b) {
        return typed("aten::mul.Scalar", a, b, (be, device) -> be.mulScalar(a.handle(), b, device));
    }

    /** A call of one of the typed per-device shims, whose Scalar arguments cannot cross the dispatcher. */
    private interface Shim {
        long call(TorchBackend backend, int deviceType);
    }

    private static Tensor typed(String op, Tensor a, Object b, Shim shim) {
        TorchBackend be = Torch.opBackend();
        try {
            return new Tensor(shim.call(be, be.deviceType(a.handle())), null);
        } catch (NativeCallException e) {
            throw Dispatch.failure(e, () -> be.deleteTensor(shim.call(be, be.deviceType(a.handle()))), op, a, b);
        }
    }

    public static Tensor div(Tensor a, Tensor b) {
        return one("aten::div", "Tensor", a, b);
    }

    /** Exact division by a scalar (not multiplication by its reciprocal, which rounds differently). */
    public static Tensor div(Tensor a, double b) {
        try (Tensor s = Scope.detach(Tensor.scalar(b))) {
            return div(a, s);
        }
    }

    public static Tensor neg(Tensor x) {
        return one("aten::neg", "", x);
    }

    public static Tensor sin(Tensor x) {
        return one("aten::sin", "", x);
    }

    public static Tensor cos(Tensor x) {
        return one("aten::cos", "", x);
    }

    public static Tensor exp(Tensor x) {
        return one("aten::exp", "", x);
    }

    public static Tensor erf(Tensor x) {
        return one("aten::erf", "", x);
    }

    public static Tensor sqrt(Tensor x) {
        return one("aten::sqrt", "", x);
    }

    public static Tensor abs(Tensor x) {
        return one("aten::abs", "", x);
    }

    public static Tensor clamp(Tensor x, Tensor min, Tensor max) {
        return one("aten::clamp", "Tensor", x, optional(min), optional(max));
    }

    // ---- shape ----------------------------------------------------------------------------------------------

    public static Tensor reshape(Tensor x, long... shape) {
        return one("aten::reshape", "", x, shape);
    }

    public static Tensor view(Tensor x, long... shape) {
        return one("aten::view", "", x, shape);
    }

    public static Tensor permute(Tensor x, long... dims) {
        return one("aten::permute", "", x, dims);
    }

    public static Tensor transpose(Tensor x, int dim0, int dim1) {
        return one("aten::transpose", "int", x, (long) dim0, (long) dim1);
    }

    public static Tensor unsqueeze(Tensor x, int dim) {
        return one("aten::unsqueeze", "", x, (long) dim);
    }

    public static Tensor squeeze(Tensor x, int dim) {
        return one("aten::squeeze", "dim", x, (long) dim);
    }

    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        return one("aten::flatten", "using_ints", x, (long) startDim, (long) endDim);
    }

    /** A contiguous copy, or a new handle to {@code x} itself when it already is contiguous. */
    public static Tensor contiguous(Tensor x) {
        return contiguousOn(x, x.device());
    }

    /** A contiguous tensor on {@code device} with the contents of {@code x}. */
    static Tensor contiguousOn(Tensor x, Device device) {
        TorchBackend b = Torch.backend();
        long[] shape = x.shape();
        if (device.equals(x.device()) && Arrays.equals(x.strides(), Tensor.contiguousStrides(shape))) {
            return new Tensor(b.newHandle(x.handle()), null);
        }
        Tensor out = Tensor.empty(x.dtype(), device, shape);
        try {
            b.copyInto(out.handle(), x.handle());
        } catch (NativeCallException e) {
            try (out) {
                throw Dispatch.failure(e, () -> b.copyInto(out.handle(), x.handle()), "aten::copy_", x);
            }
        }
        return out;
    }

    /** Copies {@code src} into {@code dst} (which may be a view of a larger tensor); returns {@code dst}. */
    public static Tensor copyInto(Tensor dst, Tensor src) {
        try {
            Torch.opBackend().copyInto(dst.handle(), src.handle());
        } catch (NativeCallException e) {
            throw Dispatch.failure(e, () -> Torch.opBackend().copyInto(dst.handle(), src.handle()), "aten::copy_", dst, src);
        }
        return dst;
    }

    public static Tensor cat(int dim, Tensor... parts) {
        return one("aten::cat", "", parts, (long) dim);
    }

    public static Tensor stack(int dim, Tensor... parts) {
        return one("aten::stack", "", parts, (long) dim);
    }

    /** {@code x[start:end:step]} along {@code dim}. */
    public static Tensor slice(Tensor x, int dim, long start, long end, long step) {
        return one("aten::slice", "Tensor", x, (long) dim, opt(start), opt(end), step);
    }

    public static Tensor slice(Tensor x, int dim, long start, long end) {
        return slice(x, dim, start, end, 1);
    }

    public static Tensor narrow(Tensor x, int dim, long start, long length) {
        return one("aten::narrow", "", x, (long) dim, start, length);
    }

    /** {@code x.select(dim, index)}: drops {@code dim}. */
    public static Tensor select(Tensor x, int dim, long index) {
        return one("aten::select", "int", x, (long) dim, index);
    }

    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        return one("aten::index_select", "", x, (long) dim, index);
    }

    public static Tensor gather(Tensor x, int dim, Tensor index) {
        return one("aten::gather", "", x, (long) dim, index, false);
    }

    /** Constant padding; {@code pad} is in {@code F.pad} order (last dimension first, before then after). */
    public static Tensor pad(Tensor x, long[] pad, double value) {
        return one("aten::pad", "", x, pad, "constant", opt(value));
    }

    public static Tensor repeatInterleave(Tensor x, long repeats, int dim) {
        return one("aten::repeat_interleave", "self_int", x, repeats, opt((long) dim), null);
    }

    public static Tensor expand(Tensor x, long... shape) {
        return one("aten::expand", "", x, shape, false);
    }

    // ---- resampling -----------------------------------------------------------------------------------------

    /** Bilinear resize of an NCHW tensor to {@code height × width} (align_corners false unless asked). */
    public static Tensor upsampleBilinear(Tensor x, long height, long width, boolean alignCorners, boolean antialias) {
        return one(antialias ? "aten::_upsample_bilinear2d_aa" : "aten::upsample_bilinear2d", "vec", x,
                opt(new long[] {height, width}), alignCorners, null);
    }

    /** Bilinear resize by scale factors, with the output size and coordinate mapping that the factors imply. */
    public static Tensor upsampleBilinearScale(Tensor x, double scaleH, double scaleW, boolean alignCorners, boolean antialias) {
        return one(antialias ? "aten::_upsample_bilinear2d_aa" : "aten::upsample_bilinear2d", "vec", x, null, alignCorners,
                opt(new double[] {scaleH, scaleW}));
    }

    public static Tensor upsampleBicubic(Tensor x, long height, long width, boolean alignCorners) {
        return one("aten::upsample_bicubic2d", "vec", x, opt(new long[] {height, width}), alignCorners, null);
    }

    public static Tensor upsampleBicubicScale(Tensor x, double scaleH, double scaleW, boolean alignCorners) {
        return one("aten::upsample_bicubic2d", "vec", x, null, alignCorners, opt(new double[] {scaleH, scaleW}));
    }

    /** 1-D linear interpolation of an N·C·L tensor to {@code length} (align_corners false). */
    public static Tensor upsampleLinear1d(Tensor x, long length) {
        return one("aten::upsample_linear1d", "vec", x, opt(new long[] {length}), false, null);
    }

    // ---- reductions -----------------------------------------------------------------------------------------

    public static Tensor argmax(Tensor x, int dim, boolean keepDim) {
        return one("aten::argmax", "", x, opt((long) dim), keepDim);
    }

    /** Values and indices of the maximum along {@code dim}. */
    public static Tensor[] max(Tensor x, int dim, boolean keepDim) {
        return Dispatch.call("aten::max", "dim", 2, x, (long) dim, keepDim);
    }

    public static Tensor sum(Tensor x, int dim, boolean keepDim) {
        return one("aten::sum", "dim_IntList", x, opt(new long[] {dim}), keepDim, null);
    }

    public static Tensor mean(Tensor x, int dim, boolean keepDim) {
        return one("aten::mean", "dim", x, opt(new long[] {dim}), keepDim, null);
    }

    public static Tensor cumsum(Tensor x, int dim) {
        return one("aten::cumsum", "", x, (long) dim, null);
    }

    // ---- comparisons ----------------------------------------------------------------------------------------

    public static Tensor gt(Tensor a, Tensor b) {
        return one("aten::gt", "Tensor", a, b);
    }

    public static Tensor lt(Tensor a, Tensor b) {
        return one("aten::lt", "Tensor", a, b);
    }

    public static Tensor ge(Tensor a, Tensor b) {
        return one("aten::ge", "Tensor", a, b);
    }

    public static Tensor eq(Tensor a, Tensor b) {
        return one("aten::eq", "Tensor", a, b);
    }

    public static Tensor gt(Tensor a, double b) {
        try (Tensor s = Scope.detach(Tensor.scalar(b))) {
            return gt(a, s);
        }
    }

    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return one("aten::where", "self", condition, a, b);
    }

    // ---- type and device ------------------------------------------------------------------------------------

    public static Tensor to(Tensor x, DType dtype) {
        return one("aten::to", "dtype", x, dtype, false, false, null);
    }

    /** A copy on {@code device} (contiguous). */
    public static Tensor to(Tensor x, Device device) {
        Torch.get().requireDevice(device);
        return contiguousOn(x, device);
    }

    /** {@code x} itself when it already is on {@code reference}'s device, else a copy there. */
    public static Tensor onDeviceOf(Tensor x, Tensor reference) {
        Device target = reference.device();
        return x.device().equals(target) ? x : to(x, target);
    }

    public static Tensor clone(Tensor x) {
        return one("aten::clone", "", x, null);
    }

    private static Object optional(Tensor t) {
        return t == null ? null : opt(t);
    }

    private static long[] pair(int v) {
        return new long[] {v, v};
    }
}
