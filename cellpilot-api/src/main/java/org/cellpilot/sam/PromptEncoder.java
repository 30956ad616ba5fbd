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
    /** The mask path's three convolutions as linear layers over 2×2 blocks (the last over single pixels). */
    private final Tensor firstConv;
    private final Tensor secondConv;
    private final Tensor lastConv;

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
            Tensor first = asLinear(w.get("mask_downscaling.0.weight"));
            Tensor second = asLinear(w.get("mask_downscaling.3.weight"));
            Tensor last = asLinear(w.get("mask_downscaling.6.weight"));
            this.labelTable = Scope.detach(scope.keep(table));
            this.densePe = Scope.detach(scope.keep(grid));
            this.firstConv = Scope.detach(scope.keep(first));
            this.secondConv = Scope.detach(scope.keep(second));
            this.lastConv = Scope.detach(scope.keep(last));
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
     * Low-res mask logits [B, 1, 4S, 4S] → the dense embedding, token-major [B, S·S, C]. It runs token-major like
     * {@link OutputUpscaling} in reverse: a 2×2 stride-2 convolution is a linear layer on each 2×2 block of pixels,
     * so LayerNorm2d becomes a layer norm over the last dimension, and no map is permuted back and forth (libtorch's
     * layer norm over 4 channels of a permuted NCHW map took longer than the rest of the path).
     */
    Tensor denseFromMask(Tensor masks) {
        long side = 4L * embeddingSize;
        if (masks.dim() != 4 || masks.size(1) != 1 || masks.size(2) != side || masks.size(3) != side) {
            throw new IllegalArgumentException("mask_input must be [B, 1, " + side + ", " + side + "], got "
                    + java.util.Arrays.toString(masks.shape()));
        }
        long b = masks.size(0);
        Tensor x = Ops.linear(blocks(Ops.reshape(masks, b, side, side, 1)), firstConv, w.get("mask_downscaling.0.bias"));
        x = Ops.gelu(Layers.layerNorm(x, w, "mask_downscaling.1", EPS));
        x = Ops.linear(blocks(Ops.reshape(x, b, side / 2, side / 2, x.size(2))), secondConv, w.get("mask_downscaling.3.bias"));
        x = Ops.gelu(Layers.layerNorm(x, w, "mask_downscaling.4", EPS));
        return Ops.linear(x, lastConv, w.get("mask_downscaling.6.bias"));
    }

    /** [B, H, W, K] → [B, (H/2)·(W/2), 4K]: the pixels of each 2×2 block in (row, column, channel) order. */
    private static Tensor blocks(Tensor x) {
        long b = x.size(0);
        long h = x.size(1) / 2;
        long wd = x.size(2) / 2;
        long k = x.size(3);
        Tensor split = Ops.reshape(x, b, h, 2, wd, 2, k);
        return Ops.reshape(Ops.permute(split, 0, 1, 3, 2, 4, 5), b, h * wd, 4 * k);
    }

    /** A convolution's weight [out, in, kh, kw] as a linear layer's [out, (kh, kw, in)], the order of {@link #blocks}. */
    private static Tensor asLinear(Tensor kernel) {
        return Ops.contiguous(Ops.reshape(Ops.permute(kernel, 0, 2, 3, 1), kernel.size(0), -1));
    }

    /** The dense embedding without a mask: {@code no_mask_embed} at every token, [1, 1, C]. */
    Tensor denseWithoutMask() {
        return Ops.reshape(w.get("no_mask_embed.weight"), 1, 1, embedDim);
    }

    @Override
    public void close() {
        labelTable.close();
        densePe.close();
        firstConv.close();
        secondConv.close();
        lastConv.close();
    }
}
