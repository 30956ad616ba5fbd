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
final class TwoWayTransformer implements AutoCloseable {
    /** Meta's blocks use nn.LayerNorm's default; Hugging Face's converted blocks use 1e-6 for norm1..4. */
    static final double META_EPS = 1e-5;
    static final double HF_BLOCK_EPS = 1e-6;

    private final Weights w;
    private final int depth;
    private final int heads;
    private final double blockEps;
    /** Per block: token-to-image keys and values and image-to-token queries, in one product. */
    private final ImageProjection[] blockProjections;
    /** The final token-to-image attention's keys and values. */
    private final ImageProjection finalProjection;

    /**
     * @param w       the weights under {@code mask_decoder.transformer.}
     * @param imagePe [1, C, S, S] the image positional encoding, folded into the image-side projections here
     */
    TwoWayTransformer(Weights w, int heads, double blockEps, Tensor imagePe) {
        this.w = w;
        this.depth = w.count("layers");
        this.heads = heads;
        this.blockEps = blockEps;
        if (depth == 0) {
            throw new IllegalArgumentException("no mask_decoder.transformer.layers.N in " + w.source());
        }
        long dim = imagePe.size(1);
        checkAttention(w.at("final_attn_token_to_image."), dim);
        w.expectNorm("norm_final_attn", dim);
        for (int i = 0; i < depth; i++) {
            Weights l = w.at("layers." + i + ".");
            for (int n = 1; n <= 4; n++) {
                l.expectNorm("norm" + n, dim);
            }
            long hidden = l.shape("mlp.lin1.weight")[0];
            l.expectLayer("mlp.lin1", hidden, dim);
            l.expectLayer("mlp.lin2", dim, hidden);
            checkAttention(l.at("self_attn."), dim);
            checkAttention(l.at("cross_attn_token_to_image."), dim);
            checkAttention(l.at("cross_attn_image_to_token."), dim);
        }
        blockProjections = new ImageProjection[depth];
        ImageProjection last = null;
        try (Scope ignored = Scope.open()) {
            Tensor keyPe = Ops.contiguous(tokenMajor(imagePe));
            for (int i = 0; i < depth; i++) {
                Weights l = w.at("layers." + i + ".");
                Weights toImage = l.at("cross_attn_token_to_image.");
                blockProjections[i] = new ImageProjection(keyPe, new ImageProjection.Part(toImage, "k_proj", true),
                        new ImageProjection.Part(toImage, "v_proj", false),
                        new ImageProjection.Part(l.at("cross_attn_image_to_token."), "q_proj", true));
            }
            Weights finalAttn = w.at("final_attn_token_to_image.");
            last = new ImageProjection(keyPe, new ImageProjection.Part(finalAttn, "k_proj", true),
                    new ImageProjection.Part(finalAttn, "v_proj", false));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        finalProjection = last;
    }

    /** Shapes of an attention over {@code dim}-wide tokens, whose internal width the heads must divide. */
    private void checkAttention(Weights attn, long dim) {
        long internal = attn.shape("q_proj.weight")[0];
        for (String projection : new String[] {"q_proj", "k_proj", "v_proj"}) {
            attn.expectLayer(projection, internal, dim);
        }
        attn.expectLayer("out_proj", dim, internal);
        if (internal % heads != 0) {
            throw new IllegalArgumentException("decoder attention " + attn.names() + " has internal dim " + internal
                    + ", not divisible by " + heads + " heads");
        }
    }

    /** [B, C, S, S] → [B, S·S, C] as a view: the layout every op of the transformer works in. */
    static Tensor tokenMajor(Tensor x) {
        return Ops.permute(Ops.flatten(x, 2, 3), 0, 2, 1);
    }

    /** The first step's image-side projection of an image embedding alone, [1, S·S, ·]: the caller keeps it per image. */
    Tensor projectImage(Tensor imageTokens) {
        return blockProjections[0].project(imageTokens);
    }

    /**
     * @param imageTokens    [1, S·S, C] the image embedding, token-major
     * @param projectedImage {@link #projectImage} of it
     * @param dense          the dense prompt embedding
     * @param tokens         [B, T, C]
     * @return {queries [B, T, C], keys [B, S·S, C]}
     */
    Tensor[] forward(Tensor imageTokens, Tensor projectedImage, PromptEncoder.Dense dense, Tensor tokens) {
        try (Scope scope = Scope.open()) {
            Tensor keys = Ops.add(imageTokens, dense.tokens);
            Tensor queries = tokens;
            for (int i = 0; i < depth; i++) {
                Tensor[] projected = i == 0 ? blockProjections[0].applyShifted(projectedImage, dense.features, dense.map)
                        : blockProjections[i].apply(keys);
                Tensor[] qk = block(w.at("layers." + i + "."), projected, i == 0, queries, keys, tokens);
                queries = qk[0];
                keys = qk[1];
            }
            Tensor[] kv = finalProjection.apply(keys);
            Weights a = w.at("final_attn_token_to_image.");
            Tensor attn = attend(a, Layers.linear(Ops.add(queries, tokens), a, "q_proj"), kv[0], kv[1]);
            queries = Layers.layerNorm(Ops.add(queries, attn), w, "norm_final_attn", META_EPS);
            return new Tensor[] {scope.keep(queries), scope.keep(keys)};
        }
    }

    /** @param projected the image side's token-to-image keys and values and image-to-token queries, positions included */
    private Tensor[] block(Weights l, Tensor[] projected, boolean first, Tensor queries, Tensor keys, Tensor queryPe) {
        Tensor q;
        if (first) {
            // The first block skips the positional encoding and the residual of its self-attention.
            q = attention(l.at("self_attn."), queries, queries, queries);
        } else {
            Tensor withPe = Ops.add(queries, queryPe);
            q = Ops.add(queries, attention(l.at("self_attn."), withPe, withPe, queries));
        }
        q = Layers.layerNorm(q, l, "norm1", blockEps);
        Weights toImage = l.at("cross_attn_token_to_image.");
        Tensor fromImage = attend(toImage, Layers.linear(Ops.add(q, queryPe), toImage, "q_proj"), projected[0], projected[1]);
        q = Layers.layerNorm(Ops.add(q, fromImage), l, "norm2", blockEps);
        Tensor mlp = Layers.linear(Ops.relu(Layers.linear(q, l, "mlp.lin1")), l, "mlp.lin2");
        q = Layers.layerNorm(Ops.add(q, mlp), l, "norm3", blockEps);
        Weights toTokens = l.at("cross_attn_image_to_token.");
        Tensor fromTokens = attend(toTokens, projected[2], Layers.linear(Ops.add(q, queryPe), toTokens, "k_proj"),
                Layers.linear(q, toTokens, "v_proj"));
        Tensor k = Layers.layerNorm(Ops.add(keys, fromTokens), l, "norm4", blockEps);
        return new Tensor[] {q, k};
    }

    /** The decoder's {@code Attention} on unprojected inputs (the prompt side's self-attention). */
    private Tensor attention(Weights a, Tensor q, Tensor k, Tensor v) {
        return attend(a, Layers.linear(q, a, "q_proj"), Layers.linear(k, a, "k_proj"), Layers.linear(v, a, "v_proj"));
    }

    /**
     * The rest of {@code Attention} on projected inputs: split heads, softmax(q·kᵀ/√d)·v, merge, project out. A side
     * with batch 1 (the image, before the first update) is broadcast over the prompts, not copied.
     */
    private Tensor attend(Weights a, Tensor q, Tensor k, Tensor v) {
        long batch = Math.max(q.size(0), Math.max(k.size(0), v.size(0)));
        Tensor out = Ops.scaledDotProductAttention(splitHeads(q, batch), splitHeads(k, batch), splitHeads(v, batch), null, Double.NaN);
        long b = out.size(0);
        long n = out.size(2);
        return Layers.linear(Ops.reshape(Ops.transpose(out, 1, 2), b, n, -1), a, "out_proj");
    }

    private Tensor splitHeads(Tensor x, long batch) {
        Tensor h = Ops.transpose(Ops.reshape(x, x.size(0), x.size(1), heads, x.size(2) / heads), 1, 2);
        return h.size(0) == batch ? h : Ops.expand(h, batch, heads, x.size(1), x.size(2) / heads);
    }

    @Override
    public void close() {
        for (ImageProjection p : blockProjections) {
            if (p != null) {
                p.close();
            }
        }
        if (finalProjection != null) {
            finalProjection.close();
        }
    }
}
