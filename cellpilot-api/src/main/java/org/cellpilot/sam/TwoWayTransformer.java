package org.cellpilot.sam;

import org.cellpilot.nn.Layers;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * The mask decoder's two-way transformer: prompt tokens attend to the image and the image attends back,
 * {@code depth} times, then a final token-to-image attention. The head count leaves no trace in the weights,
 * so it is given (SAM: 8).
 */
final class TwoWayTransformer {
    /** Meta's blocks use nn.LayerNorm's default; Hugging Face's converted blocks use 1e-6 for norm1..4. */
    static final double META_EPS = 1e-5;
    static final double HF_BLOCK_EPS = 1e-6;

    private final Weights w;
    private final int depth;
    private final int heads;
    private final double blockEps;

    /** @param w the weights under {@code mask_decoder.transformer.} */
    TwoWayTransformer(Weights w, int heads, double blockEps) {
        this.w = w;
        this.depth = w.count("layers");
        this.heads = heads;
        this.blockEps = blockEps;
        if (depth == 0) {
            throw new IllegalArgumentException("no mask_decoder.transformer.layers.N in " + w.source());
        }
        checkHeads(w.at("final_attn_token_to_image."));
        w.require("norm_final_attn.weight", "norm_final_attn.bias");
        for (int i = 0; i < depth; i++) {
            Weights l = w.at("layers." + i + ".");
            l.require("norm1.weight", "norm2.weight", "norm3.weight", "norm4.weight", "mlp.lin1.weight", "mlp.lin2.weight");
            checkHeads(l.at("self_attn."));
            checkHeads(l.at("cross_attn_token_to_image."));
            checkHeads(l.at("cross_attn_image_to_token."));
        }
    }

    private void checkHeads(Weights attn) {
        attn.require("q_proj.bias", "k_proj.weight", "k_proj.bias", "v_proj.weight", "v_proj.bias", "out_proj.weight", "out_proj.bias");
        long internal = attn.shape("q_proj.weight")[0];
        if (internal % heads != 0) {
            throw new IllegalArgumentException("decoder attention " + attn.names() + " has internal dim " + internal
                    + ", not divisible by " + heads + " heads");
        }
    }

    int depth() {
        return depth;
    }

    /**
     * @param image    [B, C, S, S] image embedding plus dense prompt
     * @param imagePe  [1, C, S, S]
     * @param tokens   [B, T, C]
     * @return {queries [B, T, C], keys [B, S·S, C]}
     */
    Tensor[] forward(Tensor image, Tensor imagePe, Tensor tokens) {
        try (Scope scope = Scope.open()) {
            // Token-major and contiguous once, so that no later op works on the channel-major layout.
            Tensor keys = Ops.contiguous(Ops.permute(Ops.flatten(image, 2, 3), 0, 2, 1));
            Tensor keyPe = Ops.contiguous(Ops.permute(Ops.flatten(imagePe, 2, 3), 0, 2, 1));
            Tensor queries = tokens;
            for (int i = 0; i < depth; i++) {
                Tensor[] qk = block(w.at("layers." + i + "."), i == 0, queries, keys, tokens, keyPe);
                queries = qk[0];
                keys = qk[1];
            }
            Tensor attn = attention(w.at("final_attn_token_to_image."), Ops.add(queries, tokens), Ops.add(keys, keyPe), keys);
            queries = Layers.layerNorm(Ops.add(queries, attn), w, "norm_final_attn", META_EPS);
            return new Tensor[] {scope.keep(queries), scope.keep(keys)};
        }
    }

    private Tensor[] block(Weights l, boolean first, Tensor queries, Tensor keys, Tensor queryPe, Tensor keyPe) {
        Tensor q;
        if (first) {
            // The first block skips the positional encoding and the residual of its self-attention.
            q = attention(l.at("self_attn."), queries, queries, queries);
        } else {
            Tensor withPe = Ops.add(queries, queryPe);
            q = Ops.add(queries, attention(l.at("self_attn."), withPe, withPe, queries));
        }
        q = Layers.layerNorm(q, l, "norm1", blockEps);
        Tensor keysWithPe = Ops.add(keys, keyPe);
        q = Layers.layerNorm(Ops.add(q, attention(l.at("cross_attn_token_to_image."), Ops.add(q, queryPe), keysWithPe, keys)),
                l, "norm2", blockEps);
        Tensor mlp = Layers.linear(Ops.relu(Layers.linear(q, l, "mlp.lin1")), l, "mlp.lin2");
        q = Layers.layerNorm(Ops.add(q, mlp), l, "norm3", blockEps);
        Tensor k = Ops.add(keys, attention(l.at("cross_attn_image_to_token."), keysWithPe, Ops.add(q, queryPe), q));
        k = Layers.layerNorm(k, l, "norm4", blockEps);
        return new Tensor[] {q, k};
    }

    /**
     * The decoder's {@code Attention}: project, split heads, softmax(q·kᵀ/√d)·v, merge, project out. An input
     * with batch 1 (the image side, before the first update) is projected once and broadcast over the prompts.
     */
    private Tensor attention(Weights a, Tensor q, Tensor k, Tensor v) {
        long batch = Math.max(q.size(0), Math.max(k.size(0), v.size(0)));
        Tensor qh = splitHeads(Layers.linear(q, a, "q_proj"), batch);
        Tensor kh = splitHeads(Layers.linear(k, a, "k_proj"), batch);
        Tensor vh = splitHeads(Layers.linear(v, a, "v_proj"), batch);
        Tensor out = Ops.scaledDotProductAttention(qh, kh, vh, null, Double.NaN);
        long b = out.size(0);
        long n = out.size(2);
        return Layers.linear(Ops.reshape(Ops.transpose(out, 1, 2), b, n, -1), a, "out_proj");
    }

    private Tensor splitHeads(Tensor x, long batch) {
        Tensor h = Ops.transpose(Ops.reshape(x, x.size(0), x.size(1), heads, x.size(2) / heads), 1, 2);
        return h.size(0) == batch ? h : Ops.expand(h, batch, heads, x.size(1), x.size(2) / heads);
    }
}
