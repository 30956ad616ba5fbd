package org.cellpilot.nn;

import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * softmax(scale·q·kᵀ + bias)·v as explicit GEMMs over chunks of (batch·head) groups and query rows, so that no
 * score matrix larger than {@link #CHUNK_BYTES} exists. libtorch's CPU {@code scaled_dot_product_attention} runs
 * far below the GEMM rate on this kind of machine (17 GFLOP/s on CellViT-256's blocks against ~100 here), and a
 * whole-image score matrix (12 × 4096² for SAM ViT-B) would not fit in memory.
 */
public final class ChunkedAttention {
    /** Largest attention temporary (one chunk's scores): small enough for malloc to recycle rather than remap. */
    public static final long CHUNK_BYTES = 16L << 20;
    /** One chunk's scores on the oneDNN path: small enough to stay in the last-level cache between its steps. */
    static final long PER_HEAD_CHUNK_BYTES = 4L << 20;

    /** The additive bias of one chunk, or none. */
    public interface Bias {
        /** [groups, rows, keys] for groups [g0, g0+gc) and query rows [r0, r0+rc). */
        Tensor chunk(long g0, long gc, long r0, long rc);
    }

    private ChunkedAttention() {
    }

    /**
     * @param q     [G, N, d] queries (G = batch·heads)
     * @param keysT [G, d, M] keys, transposed
     * @param v     [G, M, d] values
     * @param bias  null for none
     * @return [G, N, d], in the current scope
     */
    public static Tensor attend(Tensor q, Tensor keysT, Tensor v, double scale, Bias bias) {
        long groupsTotal = q.size(0);
        long n = q.size(1);
        long m = keysT.size(2);
        long rows = Math.max(1, Math.min(n, CHUNK_BYTES / (m * 4)));
        if (rows < n && OneDnn.usable(q)) {
            return attendPerHead(q, keysT, v, scale, bias);
        }
        long groups = rows < n ? 1 : Math.max(1, Math.min(groupsTotal, CHUNK_BYTES / (m * 4 * rows)));
        // Chunks write into one output made before the loop: small results kept between the large, short-lived
        // temporaries would pin malloc's heap and keep the freed chunk memory resident (~1 GB for SAM ViT-B).
        Tensor out = Tensor.empty(q.dtype(), q.device(), groupsTotal, n, v.size(2));
        for (long g0 = 0; g0 < groupsTotal; g0 += groups) {
            long gc = Math.min(groups, groupsTotal - g0);
            for (long r0 = 0; r0 < n; r0 += rows) {
                long rc = Math.min(rows, n - r0);
                try (Scope ignored = Scope.open()) {
                    Tensor qc = slice(q, g0, gc, r0, rc);
                    Tensor kc = Ops.narrow(keysT, 0, g0, gc);
                    Tensor scores = OneDnn.usable(qc) ? scoresPerGroup(Ops.mul(qc, scale), kc) : Ops.bmm(Ops.mul(qc, scale), kc);
                    if (bias != null) {
                        scores = Ops.add(scores, bias.chunk(g0, gc, r0, rc));
                    }
                    // One head's rows, or whole heads: a contiguous part of the output either way.
                    Ops.bmmInto(slice(out, g0, gc, r0, rc), Ops.softmax(scores, -1), Ops.narrow(v, 0, g0, gc));
                }
            }
        }
        return out;
    }

    /**
     * Long sequences (a global block) on oneDNN, one group at a time: its keys and values are reordered once into
     * oneDNN's layout, then each chunk of query rows is one product with the bias added in its pass, a softmax and
     * a second product. The chunks are 4 MB of scores, so that each stays in the cache between its three steps.
     * The queries are scaled before the product, as in the reference ({@code (q * scale) @ k.T}).
     */
    private static Tensor attendPerHead(Tensor q, Tensor keysT, Tensor v, double scale, Bias bias) {
        long n = q.size(1);
        long m = keysT.size(2);
        long rows = Math.max(1, Math.min(n, PER_HEAD_CHUNK_BYTES / (m * 4)));
        Tensor out = Tensor.empty(q.dtype(), q.device(), q.size(0), n, v.size(2));
        for (long g = 0; g < q.size(0); g++) {
            try (Scope head = Scope.open()) {
                Tensor keys = Ops.packLinearWeight(Ops.transpose(Ops.select(keysT, 0, g), 0, 1), rows);
                Tensor valuesT = Ops.packLinearWeight(Ops.transpose(Ops.select(v, 0, g), 0, 1), rows);
                Tensor queries = Ops.mul(Ops.select(q, 0, g), scale);
                Tensor target = Ops.select(out, 0, g);
                for (long r0 = 0; r0 < n; r0 += rows) {
                    long rc = Math.min(rows, n - r0);
                    try (Scope ignored = Scope.open()) {
                        Tensor qc = Ops.narrow(queries, 0, r0, rc);
                        Tensor scores = bias == null ? Ops.linearPacked(qc, keys, null, "none")
                                : Ops.linearPackedAdd(qc, keys, null, Ops.reshape(bias.chunk(g, 1, r0, rc), rc, m));
                        Ops.copyInto(Ops.narrow(target, 0, r0, rc), Ops.linearPacked(Ops.softmax(scores, -1), valuesT, null, "none"));
                    }
                }
            }
        }
        return out;
    }

    /**
     * q·kᵀ for many small groups (a windowed block's 300 windows × heads), one oneDNN product per group. libtorch's
     * CPU bmm (and baddbmm) with K = 64 makes one OpenBLAS call per group, each split between the threads: 1.4-1.7 s
     * for 109 groups of 196², where one-threaded calls take 22 ms and oneDNN 13 ms.
     */
    private static Tensor scoresPerGroup(Tensor q, Tensor keysT) {
        long groups = q.size(0);
        Tensor scores = Tensor.empty(q.dtype(), q.device(), groups, q.size(1), keysT.size(2));
        Tensor keys = Ops.contiguous(Ops.transpose(keysT, 1, 2));
        for (long g = 0; g < groups; g++) {
            try (Scope ignored = Scope.open()) {
                Ops.copyInto(Ops.select(scores, 0, g), Ops.linearPacked(Ops.select(q, 0, g), Ops.select(keys, 0, g), null, "none"));
            }
        }
        return scores;
    }

    /** Groups [g0, g0+gc) and rows [r0, r0+rc) of a [G, N, ·] tensor. */
    public static Tensor slice(Tensor t, long g0, long gc, long r0, long rc) {
        return Ops.narrow(Ops.narrow(t, 0, g0, gc), 1, r0, rc);
    }
}
