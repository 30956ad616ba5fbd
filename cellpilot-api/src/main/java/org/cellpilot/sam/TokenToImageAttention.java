package org.cellpilot.sam;

import org.cellpilot.nn.Layers;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * One of the decoder's token-to-image attentions (Meta's {@code Attention} with the T prompt tokens as queries and
 * the N image tokens as keys and values), computed without projecting the image. SAM's decoder has T ≈ 8 against
 * N = 4096 (ViT-B), so projecting the image's keys and values, two N×C×D products, was most of its work. By
 * associativity each head's scores are {@code (q·W_k)·(image + pe)ᵀ} and its output {@code (P·image)·W_vᵀ}: two
 * N×C×(heads·T) products, half as much for SAM, and no per-head products over the image at all. The key bias adds
 * the same amount to every score of a query, so the softmax cancels it; the value bias passes through unchanged
 * (each row of P sums to 1) and is folded into the output projection's bias.
 */
final class TokenToImageAttention implements AutoCloseable {
    private final Weights w;
    private final int heads;
    /** [H, d, C]: each head's key weights, with the 1/√d of the scores. */
    private final Tensor keyWeights;
    /** [H, C, d]: each head's value weights, transposed for the product. */
    private final Tensor valueWeights;
    /** [C]: {@code out_proj(v_proj.bias)}, the output projection's bias with the value bias through it. */
    private final Tensor outBias;

    /** @param w the weights of one {@code Attention} (q_proj, k_proj, v_proj, out_proj) */
    TokenToImageAttention(Weights w, int heads) {
        this.w = w;
        this.heads = heads;
        try (Scope scope = Scope.open()) {
            Tensor k = Heads.perHead(w.get("k_proj.weight"), heads, Heads.scoreScale(w, heads));
            Tensor v = Ops.contiguous(Ops.transpose(Heads.perHead(w.get("v_proj.weight"), heads, 1.0), 1, 2));
            Tensor bias = Layers.linear(w.get("v_proj.bias"), w, "out_proj");
            keyWeights = Scope.detach(scope.keep(k));
            valueWeights = Scope.detach(scope.keep(v));
            outBias = Scope.detach(scope.keep(bias));
        }
    }

    /**
     * @param queries     [B, T, C] the prompt tokens, with their positional encoding
     * @param imageWithPe [B or 1, N, C] the image tokens plus the image's positional encoding
     * @param image       [B or 1, N, C] the image tokens
     * @return [B, T, C]
     */
    Tensor attend(Tensor queries, Tensor imageWithPe, Tensor image) {
        Tensor q = Heads.split(Layers.linear(queries, w, "q_proj"), heads);
        Tensor rows = Ops.matmul(q, keyWeights);
        long b = rows.size(0);
        long t = rows.size(2);
        long c = rows.size(3);
        // One image shared by B prompts: all their score rows go through one product with it.
        long imageBatch = image.size(0);
        Tensor scoreRows = Ops.reshape(rows, imageBatch, b / imageBatch * heads * t, c);
        Tensor p = Ops.softmax(Ops.matmul(scoreRows, Ops.transpose(imageWithPe, 1, 2)), -1);
        Tensor mixed = Ops.reshape(Ops.matmul(p, image), b, heads, t, c);
        return Ops.linear(Heads.merge(Ops.matmul(mixed, valueWeights)), w.get("out_proj.weight"), outBias);
    }

    @Override
    public void close() {
        keyWeights.close();
        valueWeights.close();
        outBias.close();
    }
}
