package org.cellpilot.sam;

import org.cellpilot.nn.Layers;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * SAM's prompt encoder: points and box corners become sparse tokens (positional encoding plus a learned
 * embedding per label), a mask becomes a dense embedding through a small strided-conv stack, and no mask
 * becomes the learned {@code no_mask_embed} everywhere.
 */
final class PromptEncoder implements AutoCloseable {
    private static final double EPS = 1e-6;

    /** Rows of {@link #labelTable}: the embedding added to a token of each label. */
    static final int NOT_A_POINT = 0;
    static final int NEGATIVE = 1;
    static final int POSITIVE = 2;
    static final int BOX_TOP_LEFT = 3;
    static final int BOX_BOTTOM_RIGHT = 4;

    private final Weights w;
    private final PositionEmbeddingRandom pe;
    private final int embedDim;
    private final int embeddingSize;
    private final int inputSize;
    /** [5, C]: not-a-point, point_embeddings 0..3, in the order of the constants above. */
    private final Tensor labelTable;
    private final Tensor densePe;
    /** [C, 17]: the mask path's last 1×1 convolution with its bias as a column, the map of {@link Dense}. */
    private final Tensor maskMap;
    /** [1, 1, 1] holding 1: the constant feature that picks up a bias column. */
    private final Tensor one;

    /** @param w the weights under {@code prompt_encoder.} */
    PromptEncoder(Weights w, int embeddingSize, int inputSize) {
        this.w = w;
        String gaussian = "pe_layer.positional_encoding_gaussian_matrix";
        long[] g = w.shape(gaussian);
        this.pe = new PositionEmbeddingRandom(w.get(gaussian, 2, g.length > 1 ? g[1] : 0));
        this.embedDim = pe.channels();
        this.embeddingSize = embeddingSize;
        this.inputSize = inputSize;
        w.get("no_mask_embed.weight", 1, embedDim);
        long maskChannels = w.shape("mask_downscaling.3.weight")[0];
        w.expectLayer("mask_downscaling.0", maskChannels / 4, 1, 2, 2);
        w.expectNorm("mask_downscaling.1", maskChannels / 4);
        w.expectLayer("mask_downscaling.3", maskChannels, maskChannels / 4, 2, 2);
        w.expectNorm("mask_downscaling.4", maskChannels);
        w.expectLayer("mask_downscaling.6", embedDim, maskChannels, 1, 1);
        try (Scope scope = Scope.open()) {
            Tensor table = Ops.cat(0, w.get("not_a_point_embed.weight", 1, embedDim),
                    w.get("point_embeddings.0.weight", 1, embedDim), w.get("point_embeddings.1.weight", 1, embedDim),
                    w.get("point_embeddings.2.weight", 1, embedDim), w.get("point_embeddings.3.weight", 1, embedDim));
            Tensor grid = pe.dense(embeddingSize);
            Tensor last = w.get("mask_downscaling.6.weight");
            Tensor map = Ops.cat(1, Ops.reshape(last, last.size(0), last.size(1)), Ops.unsqueeze(w.get("mask_downscaling.6.bias"), 1));
            Tensor unit = Ops.onDeviceOf(Tensor.of(new float[] {1f}, 1, 1, 1), table);
            this.labelTable = Scope.detach(scope.keep(table));
            this.densePe = Scope.detach(scope.keep(grid));
            this.maskMap = Scope.detach(scope.keep(map));
            this.one = Scope.detach(scope.keep(unit));
        }
    }

    int embedDim() {
        return embedDim;
    }

    /** The positional encoding of the embedding grid, [1, C, S, S]. */
    Tensor densePe() {
        return densePe;
    }

    /**
     * Sparse tokens for B prompts of N tokens each. {@code coords} [B, N, 2] are in model input pixels, already
     * shifted by +0.5 for real points and boxes (not for padding points), {@code rows} [B, N] index the label
     * table, and {@code keep} [B, N, 1] is 0 for padding points, whose positional encoding is dropped.
     */
    Tensor sparse(Tensor coords, Tensor rows, Tensor keep) {
        try (Scope scope = Scope.open()) {
            Tensor encoded = pe.encodePixels(coords, inputSize, inputSize);
            long b = rows.size(0);
            long n = rows.size(1);
            Tensor added = Ops.reshape(Ops.indexSelect(labelTable, 0, Ops.reshape(rows, b * n)), b, n, embedDim);
            return scope.keep(Ops.add(Ops.mul(encoded, keep), added));
        }
    }

    /**
     * A dense prompt embedding, token-major, as a linear map of a few features per token: {@code tokens =
     * features · mapᵀ}. The mask decoder's first step projects image + dense embedding; with the factors it
     * projects the image once per image and, per prompt, only this K-deep part instead of a C-deep product.
     */
    static final class Dense {
        /** [B or 1, S·S or 1, C]. */
        final Tensor tokens;
        /** [B or 1, S·S or 1, K]. */
        final Tensor features;
        /** [C, K]. */
        final Tensor map;

        Dense(Tensor tokens, Tensor features, Tensor map) {
            this.tokens = tokens;
            this.features = features;
            this.map = map;
        }
    }

    /**
     * Low-res mask logits [B, 1, 4S, 4S] → the dense embedding. The last 1×1 convolution is the map, with its bias as
     * a column that a constant feature of 1 picks up.
     */
    Dense denseFromMask(Tensor masks) {
        long side = 4L * embeddingSize;
        if (masks.dim() != 4 || masks.size(1) != 1 || masks.size(2) != side || masks.size(3) != side) {
            throw new IllegalArgumentException("mask_input must be [B, 1, " + side + ", " + side + "], got "
                    + java.util.Arrays.toString(masks.shape()));
        }
        Tensor x = Ops.gelu(Layers.layerNorm2d(Layers.conv2d(masks, w, "mask_downscaling.0", 2, 0), w, "mask_downscaling.1", EPS));
        x = Ops.gelu(Layers.layerNorm2d(Layers.conv2d(x, w, "mask_downscaling.3", 2, 0), w, "mask_downscaling.4", EPS));
        Tensor h = TwoWayTransformer.tokenMajor(x);
        Tensor features = Ops.cat(2, h, Ops.expand(one, h.size(0), h.size(1), 1));
        return new Dense(Ops.linear(features, maskMap, null), features, maskMap);
    }

    /** The dense embedding without a mask: {@code no_mask_embed} at every token (one feature, 1, mapped by it). */
    Dense denseWithoutMask() {
        Tensor embed = w.get("no_mask_embed.weight");
        return new Dense(Ops.reshape(embed, 1, 1, embedDim), one, Ops.reshape(embed, embedDim, 1));
    }

    @Override
    public void close() {
        labelTable.close();
        densePe.close();
        maskMap.close();
        one.close();
    }
}
