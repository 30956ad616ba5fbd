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
                    Tensor scores = bias == null ? Ops.bmm(Ops.mul(qc, scale), kc)
                            : Ops.baddbmm(bias.chunk(g0, gc, r0, rc), qc, kc, scale);
                    // One head's rows, or whole heads: a contiguous part of the output either way.
                    Ops.bmmInto(slice(out, g0, gc, r0, rc), Ops.softmax(scores, -1), Ops.narrow(v, 0, g0, gc));
                }
            }
        }
        return out;
    }

    /** Groups [g0, g0+gc) and rows [r0, r0+rc) of a [G, N, ·] tensor. */
    public static Tensor slice(Tensor t, long g0, long gc, long r0, long rc) {
        return Ops.narrow(Ops.narrow(t, 0, g0, gc), 1, r0, rc);
    }
}
