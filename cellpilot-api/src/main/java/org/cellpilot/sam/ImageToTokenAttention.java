package org.cellpilot.sam;

import org.cellpilot.nn.Layers;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * The decoder's image-to-token attention (Meta's {@code Attention} with the N image tokens as queries and the T
 * prompt tokens as keys and values), computed without projecting the image. Each head's scores are
 * {@code (image + pe)·(W_qᵀ·k)ᵀ} plus the query bias's {@code b_q·k}, and the projected output is
 * {@code P·(v·W_o)}, so the query and output projections of the image, two N×C×D products, become two
 * N×C×(heads·T) ones, and the per-head products with a handful of keys disappear into them.
 */
final class ImageToTokenAttention implements AutoCloseable {
    private final Weights w;
    private final int heads;
    /** [H, d, C]: each head's query weights, with the 1/√d of the scores. */
    private final Tensor queryWeights;
    /** [H, d, 1]: each head's query bias, with the 1/√d of the scores. */
    private final Tensor queryBias;
    /** [H, d, C]: the output projection's columns of each head. */
    private final Tensor outWeights;
    /**
     * [1, 1, C]: the output projection's bias over the heads. Each head's attention weights sum to 1 over the
     * tokens, so adding it to every head's projected values adds it once to the output, inside the product.
     */
    private final Tensor outBiasPerHead;

    /** @param w the weights of one {@code Attention} (q_proj, k_proj, v_proj, out_proj) */
    ImageToTokenAttention(Weights w, int heads) {
        this.w = w;
        this.heads = heads;
        double scale = Heads.scoreScale(w, heads);
        try (Scope scope = Scope.open()) {
            Tensor q = Heads.perHead(w.get("q_proj.weight"), heads, scale);
            Tensor qb = Heads.perHead(Ops.unsqueeze(w.get("q_proj.bias"), 1), heads, scale);
            Tensor out = Heads.perHead(Ops.transpose(w.get("out_proj.weight"), 0, 1), heads, 1.0);
            Tensor ob = Ops.div(Ops.reshape(w.get("out_proj.bias"), 1, 1, out.size(2)), heads);
            queryWeights = Scope.detach(scope.keep(q));
            queryBias = Scope.detach(scope.keep(qb));
            outWeights = Scope.detach(scope.keep(out));
            outBiasPerHead = Scope.detach(scope.keep(Ops.contiguous(ob)));
        }
    }

    /**
     * @param imageWithPe  [B or 1, N, C] the image tokens plus the image's positional encoding
     * @param tokensWithPe [B, T, C] the prompt tokens plus their positional encoding
     * @param tokens       [B, T, C] the prompt tokens
     * @param residual     [B or 1, N, C] what the attention's output is added to, in the same product
     * @return [B, N, C] {@code residual} plus the attention's output
     */
    Tensor attend(Tensor imageWithPe, Tensor tokensWithPe, Tensor tokens, Tensor residual) {
        Tensor k = Heads.split(Layers.linear(tokensWithPe, w, "k_proj"), heads);
        Tensor v = Heads.split(Layers.linear(tokens, w, "v_proj"), heads);
        long b = k.size(0);
        long t = k.size(2);
        long n = imageWithPe.size(1);
        long c = imageWithPe.size(2);
        // One image shared by B prompts: the keys of all of them go through one product with it. The scores are
        // kept key-major, [keys, image tokens], because libtorch's softmax over a last dimension of T ≈ 8 runs
        // about 15 times slower than over the same dimension with the image tokens inside it.
        long imageBatch = imageWithPe.size(0);
        long rows = b / imageBatch * heads * t;
        Tensor keyRows = Ops.reshape(Ops.matmul(k, queryWeights), imageBatch, rows, c);
        Tensor keyBias = Ops.reshape(Ops.matmul(k, queryBias), imageBatch, rows, 1);
        Tensor scores = Ops.baddbmm(Ops.expand(keyBias, imageBatch, rows, n), keyRows, Ops.transpose(imageWithPe, 1, 2), 1.0);
        Tensor p = Ops.reshape(Ops.softmax(Ops.reshape(scores, imageBatch, rows / t, t, n), 2), b, heads * t, n);
        Tensor valueRows = Ops.reshape(Ops.add(Ops.matmul(v, outWeights), outBiasPerHead), b, heads * t, c);
        return Ops.baddbmm(Ops.expand(residual, b, n, c), Ops.transpose(p, 1, 2), valueRows, 1.0);
    }

    @Override
    public void close() {
        queryWeights.close();
        queryBias.close();
        outWeights.close();
        outBiasPerHead.close();
    }
}
