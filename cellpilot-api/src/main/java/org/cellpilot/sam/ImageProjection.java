package org.cellpilot.sam;

import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * All projections of the image tokens that one step of the two-way transformer needs, as a single GEMM. The
 * image side is 4096 tokens (ViT-B) while the prompt side is a handful, so these projections are most of the
 * decoder's work, and one wide product runs near the GEMM rate where three narrow ones do not. A projection of
 * {@code keys + pe} is rewritten as {@code W·keys + (W·pe + b)}: the positional term is the same for every
 * image, so it is computed once at load and becomes a per-token bias of the GEMM.
 */
final class ImageProjection implements AutoCloseable {
    /** One projection: {@code name.weight}/{@code name.bias} of {@code attention}, with or without the positional encoding. */
    static final class Part {
        final Weights attention;
        final String name;
        final boolean withPositions;

        Part(Weights attention, String name, boolean withPositions) {
            this.attention = attention;
            this.name = name;
            this.withPositions = withPositions;
        }
    }

    /** [1, C, Σ widths]: the stacked weights, transposed for the product. */
    private final Tensor weight;
    /** [1, N, Σ widths]: per-token bias (the positional terms plus the layers' biases). */
    private final Tensor bias;
    private final long[] widths;

    /** @param keyPe [1, N, C] the image positional encoding, token-major */
    ImageProjection(Tensor keyPe, Part... parts) {
        widths = new long[parts.length];
        try (Scope scope = Scope.open()) {
            Tensor[] weights = new Tensor[parts.length];
            Tensor[] biases = new Tensor[parts.length];
            for (int i = 0; i < parts.length; i++) {
                Part p = parts[i];
                weights[i] = p.attention.get(p.name + ".weight");
                Tensor b = p.attention.get(p.name + ".bias");
                widths[i] = weights[i].size(0);
                biases[i] = p.withPositions ? Ops.linear(keyPe, weights[i], b)
                        : Ops.expand(Ops.reshape(b, 1, 1, widths[i]), 1, keyPe.size(1), widths[i]);
            }
            Tensor stacked = Ops.contiguous(Ops.unsqueeze(Ops.transpose(Ops.cat(0, weights), 0, 1), 0));
            Tensor perToken = Ops.contiguous(Ops.cat(2, biases));
            weight = Scope.detach(scope.keep(stacked));
            bias = Scope.detach(scope.keep(perToken));
        }
    }

    /** {@code keys} [B, N, C] → one [B, N, width] tensor per part (views of one product). */
    Tensor[] apply(Tensor keys) {
        return split(project(keys));
    }

    /** All parts in one tensor [B, N, Σ widths]; {@link #applyShifted} takes it for an image embedding. */
    Tensor project(Tensor keys) {
        long b = keys.size(0);
        return Ops.baddbmm(Ops.expand(bias, b, bias.size(1), bias.size(2)), keys, Ops.expand(weight, b, weight.size(1), weight.size(2)), 1.0);
    }

    /**
     * The parts for {@code image + features·mapᵀ}, given {@code projectedImage = project(image)}: by linearity only the
     * shift is projected, through the K×Σ product of {@code map} and the stacked weights.
     *
     * @param features [B or 1, N or 1, K]
     * @param map      [C, K]
     */
    Tensor[] applyShifted(Tensor projectedImage, Tensor features, Tensor map) {
        long b = Math.max(projectedImage.size(0), features.size(0));
        long n = projectedImage.size(1);
        long k = features.size(2);
        long total = projectedImage.size(2);
        Tensor folded = Ops.matmul(Ops.transpose(map, 0, 1), weight);
        return split(Ops.baddbmm(Ops.expand(projectedImage, b, n, total), Ops.expand(features, b, n, k),
                Ops.expand(folded, b, k, total), 1.0));
    }

    private Tensor[] split(Tensor all) {
        Tensor[] out = new Tensor[widths.length];
        long start = 0;
        for (int i = 0; i < widths.length; i++) {
            out[i] = Ops.narrow(all, 2, start, widths[i]);
            start += widths[i];
        }
        return out;
    }

    @Override
    public void close() {
        weight.close();
        bias.close();
    }
}
