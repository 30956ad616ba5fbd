package org.cellpilot.sam;

import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Tensor;

/** Splitting a decoder attention's internal width into heads and merging them back, as Meta's {@code Attention}. */
final class Heads {
    private Heads() {
    }

    /** [B, T, H·d] → [B, H, T, d] (a view). */
    static Tensor split(Tensor x, int heads) {
        return Ops.transpose(Ops.reshape(x, x.size(0), x.size(1), heads, x.size(2) / heads), 1, 2);
    }

    /** [B, H, T, d] → [B, T, H·d]. */
    static Tensor merge(Tensor x) {
        return Ops.reshape(Ops.transpose(x, 1, 2), x.size(0), x.size(2), x.size(1) * x.size(3));
    }

    /** Meta's 1/√d for the scores of attention {@code w} (q_proj, k_proj, … of internal width H·d). */
    static double scoreScale(Weights w, int heads) {
        return 1.0 / Math.sqrt(w.shape("q_proj.weight")[0] / heads);
    }

    /** A projection's weight [H·d, C] as one [d, C] block per head, times {@code scale}: [H, d, C]. */
    static Tensor perHead(Tensor weight, int heads, double scale) {
        return Ops.contiguous(Ops.mul(Ops.reshape(weight, heads, weight.size(0) / heads, weight.size(1)), scale));
    }
}
