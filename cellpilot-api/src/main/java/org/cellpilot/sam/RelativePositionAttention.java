package org.cellpilot.sam;

import org.cellpilot.nn.ChunkedAttention;
import org.cellpilot.nn.PackedLinear;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * Multi-head self-attention of SAM's ViT with decomposed relative positions ({@code image_encoder.Attention}), up to
 * the output projection, which {@link EncoderBlock} applies after the windows are merged back, with its residual.
 * A ViT-B global block's scores are 12 × 4096 × 4096 (805 MB), so attention runs in chunks of heads and query
 * rows ({@link ChunkedAttention}), each with its own slice of the relative-position bias, built from the decomposed
 * row and column terms and added inside the score GEMM (baddbmm); nothing of that size is ever materialised.
 */
final class RelativePositionAttention implements AutoCloseable {
    private final Weights w;
    private final int heads;
    private final int headDim;
    private final double scale;
    /** The grid side the tables below are for: the window, or the token grid of a global block. */
    private final int gridSize;
    /** Rh[i, j] = rel_pos_h[i - j + S - 1] for the S×S grid this attention runs on: [S, S, headDim]. */
    private final Tensor relH;
    private final Tensor relW;

    private final PackedLinear qkvProjection;

    RelativePositionAttention(Weights w, int dim, int gridSize, long rows) {
        this.w = w;
        this.headDim = (int) w.get("rel_pos_h").size(1);
        if (headDim <= 0 || dim % headDim != 0) {
            throw new IllegalArgumentException("rel_pos_h of shape " + java.util.Arrays.toString(w.shape("rel_pos_h"))
                    + " does not divide the embedding dimension " + dim + " (" + w.source() + ")");
        }
        this.heads = dim / headDim;
        this.scale = 1.0 / Math.sqrt(headDim);
        w.expectLayer("qkv", 3L * dim, dim);
        w.expectLayer("proj", dim, dim);
        w.get("rel_pos_h", 2L * gridSize - 1, headDim);
        w.get("rel_pos_w", 2L * gridSize - 1, headDim);
        this.gridSize = gridSize;
        this.qkvProjection = new PackedLinear(w, "qkv", rows);
        try (Scope scope = Scope.open()) {
            Tensor h = relativeTable(w.get("rel_pos_h"), gridSize);
            Tensor wt = relativeTable(w.get("rel_pos_w"), gridSize);
            this.relH = Scope.detach(scope.keep(h));
            this.relW = Scope.detach(scope.keep(wt));
        }
    }

    int heads() {
        return heads;
    }

    /**
     * {@code get_rel_pos} for equal query and key sizes: resample the table to 2S-1 rows if needed (linear,
     * as the reference), then gather row i - j + S - 1 for every (i, j). The result is in the current scope.
     */
    private static Tensor relativeTable(Tensor table, int size) {
        int length = 2 * size - 1;
        try (Scope scope = Scope.open()) {
            Tensor t = table;
            if (t.size(0) != length) {
                Tensor asSignal = Ops.permute(Ops.reshape(t, 1, t.size(0), -1), 0, 2, 1);
                t = Ops.permute(Ops.upsampleLinear1d(asSignal, length), 0, 2, 1);
                t = Ops.reshape(t, length, -1);
            }
            long[] index = new long[size * size];
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    index[i * size + j] = i - j + size - 1;
                }
            }
            Tensor gathered = Ops.indexSelect(t, 0, Ops.onDeviceOf(Tensor.of(index, index.length), t));
            return scope.keep(Ops.contiguous(Ops.reshape(gathered, size, size, -1)));
        }
    }

    /**
     * x: [B, H, W, C] → the heads' outputs, concatenated, [B, H, W, C] (before the projection). A grid other than the one given at construction (CellViT-SAM's global blocks on
     * a tile smaller than the trained image) gets its tables resampled for this call.
     */
    Tensor forward(Tensor x) {
        long b = x.size(0);
        long h = x.size(1);
        long wd = x.size(2);
        long n = h * wd;
        long bh = b * heads;
        try (Scope scope = Scope.open()) {
            Tensor rh = h == gridSize ? relH : relativeTable(w.get("rel_pos_h"), (int) h);
            Tensor rw = wd == gridSize ? relW : relativeTable(w.get("rel_pos_w"), (int) wd);
            Tensor qkv = Ops.permute(Ops.reshape(qkvProjection.forward(x), b, n, 3, heads, headDim), 2, 0, 3, 1, 4);
            Tensor q = Ops.contiguous(Ops.reshape(Ops.select(qkv, 0, 0), bh, n, headDim));
            Tensor keysT = Ops.transpose(Ops.reshape(Ops.select(qkv, 0, 1), bh, n, headDim), 1, 2);
            Tensor v = Ops.reshape(Ops.select(qkv, 0, 2), bh, n, headDim);
            Tensor[] rel = relativeTerms(q, rh, rw);
            Tensor out = ChunkedAttention.attend(q, keysT, v, scale, (g0, gc, r0, rc) -> {
                Tensor rows = ChunkedAttention.slice(rel[0], g0, gc, r0, rc);
                Tensor cols = ChunkedAttention.slice(rel[1], g0, gc, r0, rc);
                return Ops.reshape(Ops.add(Ops.unsqueeze(rows, -1), Ops.unsqueeze(cols, -2)), gc, rc, -1);
            });
            return scope.keep(Ops.reshape(Ops.permute(Ops.reshape(out, b, heads, n, headDim), 0, 2, 1, 3), b, h, wd,
                    (long) heads * headDim));
        }
    }

    /**
     * The decomposed terms of {@code add_decomposed_rel_pos}, with the unscaled q as in the reference:
     * rows[(y,x), ky] = q[y,x]·Rh[y,ky] as [B·heads, H·W, H] and cols[(y,x), kx] = q[y,x]·Rw[x,kx] as
     * [B·heads, H·W, W]. q: [B·heads, H·W, d]; rh: [H, H, d]; rw: [W, W, d].
     */
    private Tensor[] relativeTerms(Tensor q, Tensor rh, Tensor rw) {
        long h = rh.size(0);
        long wd = rw.size(0);
        long bh = q.size(0);
        Tensor grid = Ops.reshape(q, bh, h, wd, headDim);
        // [H, B·heads·W, d] @ [H, d, H] -> [H, B·heads, W, H]
        Tensor byRow = Ops.reshape(Ops.permute(grid, 1, 0, 2, 3), h, bh * wd, headDim);
        Tensor rows = Ops.reshape(Ops.bmm(byRow, Ops.transpose(rh, 1, 2)), h, bh, wd, h);
        // [W, B·heads·H, d] @ [W, d, W] -> [W, B·heads, H, W]
        Tensor byCol = Ops.reshape(Ops.permute(grid, 2, 0, 1, 3), wd, bh * h, headDim);
        Tensor cols = Ops.reshape(Ops.bmm(byCol, Ops.transpose(rw, 1, 2)), wd, bh, h, wd);
        return new Tensor[] {
            Ops.reshape(Ops.contiguous(Ops.permute(rows, 1, 0, 2, 3)), bh, h * wd, h),
            Ops.reshape(Ops.contiguous(Ops.permute(cols, 1, 2, 0, 3)), bh, h * wd, wd)};
    }

    @Override
    public void close() {
        qkvProjection.close();
        relH.close();
        relW.close();
    }
}
