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
    /** [1, S·S, C]: the image positional encoding, token-major. */
    private final Tensor keyPe;
    private final TokenToImageAttention[] tokenToImage;
    private final ImageToTokenAttention[] imageToToken;
    private final TokenToImageAttention finalAttention;

    /**
     * @param w       the weights under {@code mask_decoder.transformer.}
     * @param imagePe [1, C, S, S] the image positional encoding
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
        tokenToImage = new TokenToImageAttention[depth];
        imageToToken = new ImageToTokenAttention[depth];
        TokenToImageAttention last = null;
        Tensor pe = null;
        try (Scope scope = Scope.open()) {
            for (int i = 0; i < depth; i++) {
                Weights l = w.at("layers." + i + ".");
                tokenToImage[i] = new TokenToImageAttention(l.at("cross_attn_token_to_image."), heads);
                imageToToken[i] = new ImageToTokenAttention(l.at("cross_attn_image_to_token."), heads);
            }
            last = new TokenToImageAttention(w.at("final_attn_token_to_image."), heads);
            pe = Scope.detach(scope.keep(Ops.contiguous(tokenMajor(imagePe))));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        finalAttention = last;
        keyPe = pe;
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

    /**
     * @param imageTokens [1, S·S, C] the image embedding, token-major
     * @param dense       [B or 1, S·S or 1, C] the dense prompt embedding, token-major
     * @param tokens      [B, T, C]
     * @return {queries [B, T, C], keys [B, S·S, C]}
     */
    Tensor[] forward(Tensor imageTokens, Tensor dense, Tensor tokens) {
        try (Scope scope = Scope.open()) {
            // Without mask prompts the image side is the same for every prompt: it stays one image (broadcast, not
            // copied) until the first image-to-token step makes it per prompt.
            Tensor keys = Ops.add(imageTokens, dense);
            Tensor queries = tokens;
            for (int i = 0; i < depth; i++) {
                Tensor[] qk = block(i, queries, keys, tokens);
                queries = qk[0];
                keys = qk[1];
            }
            Tensor attn = finalAttention.attend(Ops.add(queries, tokens), Ops.add(keys, keyPe), keys);
            queries = Layers.layerNorm(Ops.add(queries, attn), w, "norm_final_attn", META_EPS);
            return new Tensor[] {scope.keep(queries), scope.keep(keys)};
        }
    }

    private Tensor[] block(int i, Tensor queries, Tensor keys, Tensor queryPe) {
        Weights l = w.at("layers." + i + ".");
        Tensor q;
        if (i == 0) {
            // The first block skips the positional encoding and the residual of its self-attention.
            q = selfAttention(l.at("self_attn."), queries, queries, queries);
        } else {
            Tensor withPe = Ops.add(queries, queryPe);
            q = Ops.add(queries, selfAttention(l.at("self_attn."), withPe, withPe, queries));
        }
        q = Layers.layerNorm(q, l, "norm1", blockEps);
        Tensor keysWithPe = Ops.add(keys, keyPe);
        Tensor fromImage = tokenToImage[i].attend(Ops.add(q, queryPe), keysWithPe, keys);
        q = Layers.layerNorm(Ops.add(q, fromImage), l, "norm2", blockEps);
        Tensor mlp = Layers.linear(Ops.relu(Layers.linear(q, l, "mlp.lin1")), l, "mlp.lin2");
        q = Layers.layerNorm(Ops.add(q, mlp), l, "norm3", blockEps);
        Tensor k = Layers.layerNorm(imageToToken[i].attend(keysWithPe, Ops.add(q, queryPe), q, keys), l, "norm4", blockEps);
        return new Tensor[] {q, k};
    }

    /** The prompt tokens' self-attention: Meta's {@code Attention}, all of it on T tokens. */
    private Tensor selfAttention(Weights a, Tensor q, Tensor k, Tensor v) {
        Tensor out = Ops.scaledDotProductAttention(Heads.split(Layers.linear(q, a, "q_proj"), heads),
                Heads.split(Layers.linear(k, a, "k_proj"), heads), Heads.split(Layers.linear(v, a, "v_proj"), heads), null, Double.NaN);
        return Layers.linear(Heads.merge(out), a, "out_proj");
    }

    @Override
    public void close() {
        for (TokenToImageAttention a : tokenToImage) {
            if (a != null) {
                a.close();
            }
        }
        for (ImageToTokenAttention a : imageToToken) {
            if (a != null) {
                a.close();
            }
        }
        if (finalAttention != null) {
            finalAttention.close();
        }
        if (keyPe != null) {
            keyPe.close();
        }
    }
}
