package org.cellpilot.sam;

import org.cellpilot.nn.PackedLinear;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * The mask decoder's {@code output_upscaling} (ConvTranspose 2×2 → LayerNorm2d → GELU → ConvTranspose 2×2 → GELU)
 * followed by the hypernetwork product that turns the upscaled features into mask logits.
 *
 * <p>It runs token-major, as GEMMs: a transposed convolution with a 2×2 kernel and stride 2 sends each input pixel
 * to its own 2×2 output block, so it is a linear layer to 4× the channels; LayerNorm and GELU act per pixel; and the
 * hypernetwork product is per pixel too. All of it therefore works on the pixels in the order the linear layers
 * produce them, and only the small logits tensor is put into image order at the end. libtorch's CPU transposed
 * convolution and the channel permutations around LayerNorm2d cost about twice as much.
 */
final class OutputUpscaling implements AutoCloseable {
    private static final double EPS = 1e-6;

    private final Weights w;
    /** The two transposed convolutions as linear layers: weight [(a, b, out), in], bias [(a, b, out)]. */
    private final Tensor first;
    private final Tensor firstBias;
    private final Tensor second;
    private final Tensor secondBias;
    /** The same, on oneDNN where it runs: the second takes its GELU in the product's pass. */
    private final PackedLinear firstLinear;
    private final PackedLinear secondLinear;

    /**
     * @param w      the weights under {@code mask_decoder.}
     * @param dim    the decoder's token width
     * @param tokens the image embedding's S·S, the usual input rows
     */
    OutputUpscaling(Weights w, long dim, long tokens) {
        this.w = w;
        // Transposed convolutions: weight [in, out, 2, 2], bias [out].
        w.get("output_upscaling.0.weight", dim, dim / 4, 2, 2);
        w.get("output_upscaling.0.bias", dim / 4);
        w.expectNorm("output_upscaling.1", dim / 4);
        w.get("output_upscaling.3.weight", dim / 4, dim / 8, 2, 2);
        w.get("output_upscaling.3.bias", dim / 8);
        try (Scope scope = Scope.open()) {
            Tensor[] a = asLinear(w, "output_upscaling.0");
            Tensor[] b = asLinear(w, "output_upscaling.3");
            first = Scope.detach(scope.keep(a[0]));
            firstBias = Scope.detach(scope.keep(a[1]));
            second = Scope.detach(scope.keep(b[0]));
            secondBias = Scope.detach(scope.keep(b[1]));
        }
        firstLinear = new PackedLinear(first, firstBias, tokens);
        secondLinear = new PackedLinear(second, secondBias, 4 * tokens);
    }

    /** A ConvTranspose2d(in, out, 2, stride 2) as {weight [4·out, in], bias [4·out]}, rows ordered (a, b, out). */
    private static Tensor[] asLinear(Weights w, String name) {
        Tensor kernel = w.get(name + ".weight");
        if (kernel.dim() != 4 || kernel.size(2) != 2 || kernel.size(3) != 2) {
            throw new IllegalArgumentException("key '" + name + ".weight' in " + w.source() + " must be a 2x2 transposed "
                    + "convolution [in, out, 2, 2], got " + java.util.Arrays.toString(kernel.shape()));
        }
        long in = kernel.size(0);
        long out = kernel.size(1);
        Tensor weight = Ops.contiguous(Ops.reshape(Ops.permute(kernel, 2, 3, 1, 0), 4 * out, in));
        Tensor bias = w.get(name + ".bias", out);
        return new Tensor[] {weight, Ops.reshape(Ops.contiguous(Ops.expand(Ops.unsqueeze(bias, 0), 4, out)), 4 * out)};
    }

    /**
     * Mask logits for the image side {@code features} [B, h, w, C] (token-major) and the hypernetwork outputs
     * {@code hyper} [B, M, C/8]: [B, M, 4h, 4w].
     */
    Tensor maskLogits(Tensor features, Tensor hyper) {
        long b = features.size(0);
        long h = features.size(1);
        long wd = features.size(2);
        long pixels = h * wd;
        Tensor x = firstLinear.forward(Ops.reshape(features, b, pixels, features.size(3)));
        // Rows (i, j, a, b): the 2×2 block of each input pixel.
        x = Ops.reshape(x, b, 4 * pixels, first.size(0) / 4);
        x = Ops.gelu(Ops.layerNorm(x, new long[] {x.size(2)}, w.get("output_upscaling.1.weight"),
                w.get("output_upscaling.1.bias"), EPS));
        x = Ops.reshape(secondLinear.forwardGelu(x), b, 16 * pixels, second.size(0) / 4);
        Tensor logits = Ops.matmul(x, Ops.transpose(hyper, 1, 2));
        // (i, j, a, b, a', b', mask) → (mask, i, a, a', j, b, b'): row 4i + 2a + a', column 4j + 2b + b'.
        long m = hyper.size(1);
        Tensor blocks = Ops.reshape(logits, b, h, wd, 2, 2, 2, 2, m);
        return Ops.reshape(Ops.permute(blocks, 0, 7, 1, 3, 5, 2, 4, 6), b, m, 4 * h, 4 * wd);
    }

    @Override
    public void close() {
        firstLinear.close();
        secondLinear.close();
        first.close();
        firstBias.close();
        second.close();
        secondBias.close();
    }
}
