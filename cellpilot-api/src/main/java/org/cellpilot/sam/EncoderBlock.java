package org.cellpilot.sam;

import org.cellpilot.nn.Layers;
import org.cellpilot.nn.PackedLinear;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * One transformer block of SAM's ViT ({@code image_encoder.Block}): windowed attention when {@code window > 0},
 * global attention over the whole token grid otherwise. Tokens stay NHWC.
 */
final class EncoderBlock implements AutoCloseable {
    private static final double EPS = 1e-6;

    private final Weights w;
    private final int window;
    private final RelativePositionAttention attention;
    private final PackedLinear proj;
    private final PackedLinear lin1;
    private final PackedLinear lin2;

    /**
     * @param grid   the token grid side (img_size / patch_size)
     * @param window the window side, or 0 for global attention
     */
    EncoderBlock(Weights w, int dim, int grid, int window) {
        this.w = w;
        this.window = window;
        w.expectNorm("norm1", dim);
        w.expectNorm("norm2", dim);
        long hidden = w.shape("mlp.lin1.weight")[0];
        w.expectLayer("mlp.lin1", hidden, dim);
        w.expectLayer("mlp.lin2", dim, hidden);
        long tokens = (long) grid * grid;
        this.attention = new RelativePositionAttention(w.at("attn."), dim, window > 0 ? window : grid, tokens);
        this.proj = new PackedLinear(w, "attn.proj", tokens);
        this.lin1 = new PackedLinear(w, "mlp.lin1", tokens);
        this.lin2 = new PackedLinear(w, "mlp.lin2", tokens);
    }

    int heads() {
        return attention.heads();
    }

    /** x: [B, H, W, C] → [B, H, W, C]. */
    Tensor forward(Tensor x) {
        try (Scope scope = Scope.open()) {
            Tensor h = Layers.layerNorm(x, w, "norm1", EPS);
            if (window > 0) {
                long height = x.size(1);
                long width = x.size(2);
                h = unpartition(attention.forward(partition(h)), x.size(0), height, width);
            } else {
                h = attention.forward(h);
            }
            // The projection is per token, so it runs after the windows are merged: not on their padding.
            Tensor y = proj.forwardAdd(h, x);
            return scope.keep(lin2.forwardAdd(lin1.forwardGelu(Layers.layerNorm(y, w, "norm2", EPS)), y));
        }
    }

    /** Zero-pads bottom/right to a multiple of the window (after norm1, as the reference), then cuts windows. */
    private Tensor partition(Tensor x) {
        long b = x.size(0);
        long c = x.size(3);
        long padH = (window - x.size(1) % window) % window;
        long padW = (window - x.size(2) % window) % window;
        Tensor padded = padH > 0 || padW > 0 ? Ops.pad(x, new long[] {0, 0, 0, padW, 0, padH}, 0.0) : x;
        long nh = padded.size(1) / window;
        long nw = padded.size(2) / window;
        Tensor v = Ops.view(Ops.contiguous(padded), b, nh, window, nw, window, c);
        return Ops.reshape(Ops.permute(v, 0, 1, 3, 2, 4, 5), b * nh * nw, window, window, c);
    }

    private Tensor unpartition(Tensor windows, long b, long height, long width) {
        long c = windows.size(3);
        long nh = (height + window - 1) / window;
        long nw = (width + window - 1) / window;
        Tensor v = Ops.reshape(windows, b, nh, nw, window, window, c);
        Tensor grid = Ops.reshape(Ops.permute(v, 0, 1, 3, 2, 4, 5), b, nh * window, nw * window, c);
        if (nh * window != height || nw * window != width) {
            grid = Ops.slice(Ops.slice(grid, 1, 0, height), 2, 0, width);
        }
        return Ops.contiguous(grid);
    }

    @Override
    public void close() {
        attention.close();
        proj.close();
        lin1.close();
        lin2.close();
    }
}
