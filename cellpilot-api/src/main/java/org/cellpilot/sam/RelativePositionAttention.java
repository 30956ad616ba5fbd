package org.cellpilot.sam;

import org.cellpilot.nn.Layers;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * Multi-head self-attention of SAM's ViT with decomposed relative positions ({@code image_encoder.Attention}).
 * The relative-position bias goes into scaled_dot_product_attention as a float mask. Because that mask is
 * (tokens × tokens) per head — 67 MB for one head of a ViT-B global block — heads are processed in chunks
 * whose mask stays under {@link #MASK_BUDGET_BYTES}.
 */
final class RelativePositionAttention implements AutoCloseable {
    private static final long MASK_BUDGET_BYTES = 128L << 20;

    private final Weights w;
    private final int heads;
    private final int headDim;
    private final double scale;
    /** The grid side the tables below are for: the window, or the token grid of a global block. */
    private final int gridSize;
    /** Rh[i, j] = rel_pos_h[i - j + S - 1] for the S×S grid this attention runs on: [S, S, headDim]. */
    private final Tensor relH;
    private final Tensor relW;

    RelativePositionAttention(Weights w, int dim, int gridSize) {
        this.w = w;
        this.headDim = (int) w.get("rel_pos_h").size(1);
        if (headDim <= 0 || dim % headDim != 0) {
            throw new IllegalArgumentException("rel_pos_h of shape " + java.util.Arrays.toString(w.shape("rel_pos_h"))
                    + " does not divide the embedding dimension " + dim + " (" + w.source() + ")");
        }
        this.heads = dim / headDim;
        this.scale = 1.0 / Math.sqrt(headDim);
        w.require("qkv.bias", "proj.bias");
        w.get("qkv.weight", 3L * dim, dim);
        w.get("proj.weight", dim, dim);
        w.get("rel_pos_w", w.shape("rel_pos_h"));
        this.gridSize = gridSize;
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
            Tensor gathered = Ops.indexSelect(t, 0, Tensor.of(index, index.length));
            return scope.keep(Ops.contiguous(Ops.reshape(gathered, size, size, -1)));
        }
    }

    /**
     * x: [B, H, W, C] → [B, H, W, C]. A grid other than the one given at construction (CellViT-SAM's global blocks on
     * a tile smaller than the trained image) gets its tables resampled for this call.
     */
    Tensor forward(Tensor x) {
        long b = x.size(0);
        long h = x.size(1);
        long wd = x.size(2);
        long n = h * wd;
        try (Scope scope = Scope.open()) {
            Tensor rh = h == gridSize ? relH : relativeTable(w.get("rel_pos_h"), (int) h);
            Tensor rw = wd == gridSize ? relW : relativeTable(w.get("rel_pos_w"), (int) wd);
            Tensor qkv = Ops.permute(Ops.reshape(Layers.linear(x, w, "qkv"), b, n, 3, heads, headDim), 2, 0, 3, 1, 4);
            Tensor q = Ops.select(qkv, 0, 0);
            Tensor k = Ops.select(qkv, 0, 1);
            Tensor v = Ops.select(qkv, 0, 2);
            int chunk = (int) Math.max(1, Math.min(heads, MASK_BUDGET_BYTES / (b * n * n * 4)));
            Tensor[] parts = new Tensor[(heads + chunk - 1) / chunk];
            for (int i = 0; i < parts.length; i++) {
                int h0 = i * chunk;
                int hc = Math.min(chunk, heads - h0);
                parts[i] = attendHeads(Ops.narrow(q, 1, h0, hc), Ops.narrow(k, 1, h0, hc), Ops.narrow(v, 1, h0, hc), rh, rw);
            }
            Tensor out = parts.length == 1 ? parts[0] : Ops.cat(1, parts);
            out = Ops.reshape(Ops.permute(out, 0, 2, 1, 3), b, h, wd, (long) heads * headDim);
            return scope.keep(Layers.linear(out, w, "proj"));
        }
    }

    /** Attention for a group of heads, whose bias mask is freed before the next group starts. */
    private Tensor attendHeads(Tensor q, Tensor k, Tensor v, Tensor rh, Tensor rw) {
        try (Scope scope = Scope.open()) {
            Tensor bias = relativeBias(q, rh, rw);
            return scope.keep(Ops.scaledDotProductAttention(q, k, v, bias, scale));
        }
    }

    /**
     * {@code add_decomposed_rel_pos} as a mask: rel_h[y,x,ky] = q[y,x]·Rh[y,ky] and rel_w[y,x,kx] = q[y,x]·Rw[x,kx]
     * (q unscaled, as in the reference), broadcast to bias[(y,x),(ky,kx)]. q: [B, heads, H·W, d]; rh: [H, H, d];
     * rw: [W, W, d].
     */
    private Tensor relativeBias(Tensor q, Tensor rh, Tensor rw) {
        long h = rh.size(0);
        long wd = rw.size(0);
        long bh = q.size(0) * q.size(1);
        // [H, B·heads·W, d] @ [H, d, H] -> rel_h as [H, B·heads, W, H]
        Tensor byRow = Ops.reshape(Ops.permute(Ops.reshape(q, bh, h, wd, headDim), 1, 0, 2, 3), h, bh * wd, headDim);
        Tensor relRows = Ops.reshape(Ops.bmm(byRow, Ops.transpose(rh, 1, 2)), h, bh, wd, h);
        // [W, B·heads·H, d] @ [W, d, W] -> rel_w as [W, B·heads, H, W]
        Tensor byCol = Ops.reshape(Ops.permute(Ops.reshape(q, bh, h, wd, headDim), 2, 0, 1, 3), wd, bh * h, headDim);
        Tensor relCols = Ops.reshape(Ops.bmm(byCol, Ops.transpose(rw, 1, 2)), wd, bh, h, wd);
        Tensor rows = Ops.reshape(Ops.permute(relRows, 1, 0, 2, 3), bh, h, wd, h, 1);
        Tensor cols = Ops.reshape(Ops.permute(relCols, 1, 2, 0, 3), bh, h, wd, 1, wd);
        return Ops.reshape(Ops.add(rows, cols), q.size(0), q.size(1), h * wd, h * wd);
    }

    @Override
    public void close() {
        relH.close();
        relW.close();
    }
}
