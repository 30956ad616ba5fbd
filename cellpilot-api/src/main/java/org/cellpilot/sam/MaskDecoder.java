package org.cellpilot.sam;

import org.cellpilot.nn.Layers;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * SAM's mask decoder: output tokens plus prompt tokens run through the two-way transformer with the image
 * embedding; the image side is upscaled 4× and each mask token's hypernetwork MLP turns it into mask logits;
 * the IoU token predicts each mask's quality. Many prompts run in one pass: the image embedding is
 * broadcast over them, never copied per prompt.
 */
final class MaskDecoder implements AutoCloseable {
    private final Weights w;
    private final TwoWayTransformer transformer;
    private final OutputUpscaling upscaling;
    private final int maskTokens;
    private final int iouHeadDepth;
    /** Layers of each mask token's hypernetwork MLP. */
    private final int[] hyperDepths;

    /**
     * @param w       the weights under {@code mask_decoder.}
     * @param imagePe [1, C, S, S] the prompt encoder's positional encoding of the image grid
     */
    MaskDecoder(Weights w, int heads, double blockEps, Tensor imagePe) {
        this.w = w;
        this.maskTokens = (int) w.shape("mask_tokens.weight")[0];
        long dim = imagePe.size(1);
        w.get("mask_tokens.weight", maskTokens, dim);
        w.get("iou_token.weight", 1, dim);
        this.iouHeadDepth = w.count("iou_prediction_head.layers");
        w.require("iou_prediction_head.layers.0.weight");
        long iouHidden = w.shape("iou_prediction_head.layers.0.weight")[0];
        expectMlp(w.at("iou_prediction_head."), iouHeadDepth, dim, iouHidden, maskTokens);
        this.hyperDepths = new int[maskTokens];
        for (int i = 0; i < maskTokens; i++) {
            w.require("output_hypernetworks_mlps." + i + ".layers.0.weight");
            hyperDepths[i] = w.count("output_hypernetworks_mlps." + i + ".layers");
            expectMlp(w.at("output_hypernetworks_mlps." + i + "."), hyperDepths[i], dim, dim, dim / 8);
        }
        this.upscaling = new OutputUpscaling(w, dim, imagePe.size(2) * imagePe.size(3));
        try {
            this.transformer = new TwoWayTransformer(w.at("transformer."), heads, blockEps, imagePe);
        } catch (RuntimeException e) {
            upscaling.close();
            throw e;
        }
    }

    /** The decoder's raw outputs for B prompts: every mask token's low-res logits and predicted IoU. */
    static final class Output {
        final Tensor masks;
        final Tensor iou;

        Output(Tensor masks, Tensor iou) {
            this.masks = masks;
            this.iou = iou;
        }
    }

    /** The transformer's outputs that the mask head needs, for B prompts. */
    static final class Tokens {
        /** [B, M, C/8]: each mask token after its hypernetwork MLP. */
        final Tensor hyperIn;
        /** [B, M]: predicted IoU of every mask token. */
        final Tensor iou;
        /** [B, S, S, C]: the image side after the transformer, token-major, before upscaling. */
        final Tensor features;

        Tokens(Tensor hyperIn, Tensor iou, Tensor features) {
            this.hyperIn = hyperIn;
            this.iou = iou;
            this.features = features;
        }
    }

    /**
     * [1, C, S, S] → [1, S, S, C]: the image embedding in the layout the decoder works in, kept per image. Owned by
     * the caller, outside any scope.
     */
    Tensor prepare(Tensor embedding) {
        try (Scope scope = Scope.open()) {
            return Scope.detach(scope.keep(Ops.contiguous(Ops.permute(embedding, 0, 2, 3, 1))));
        }
    }

    /**
     * @param sparse [B, N, C] prompt tokens
     * @param image  [1, S, S, C] the image embedding, {@linkplain #prepare prepared}
     * @param dense  [B or 1, S·S or 1, C] the dense prompt embedding, for B prompts or shared by all
     */
    Tokens decodeTokens(Tensor image, Tensor sparse, Tensor dense) {
        try (Scope scope = Scope.open()) {
            long b = sparse.size(0);
            long c = sparse.size(2);
            Tensor outTokens = Ops.cat(0, w.get("iou_token.weight"), w.get("mask_tokens.weight"));
            Tensor tokens = Ops.cat(1, Ops.expand(Ops.unsqueeze(outTokens, 0), b, 1 + maskTokens, c), sparse);
            long side = image.size(1);
            Tensor[] qk = transformer.forward(Ops.reshape(image, 1, side * side, c), dense, tokens);
            Tensor hyperIn = hypernetworks(Ops.narrow(qk[0], 1, 1, maskTokens));
            Tensor iou = mlp(Ops.select(qk[0], 1, 0), w.at("iou_prediction_head."), iouHeadDepth);
            Tensor features = Ops.reshape(qk[1], qk[1].size(0), side, side, c);
            return new Tokens(scope.keep(hyperIn), scope.keep(iou), scope.keep(features));
        }
    }

    /**
     * Full-frame masks, as {@code MaskDecoder.forward}: multimask picks tokens 1..3 (ambiguity-aware),
     * otherwise token 0. Returns masks [B, M, 4S, 4S] and iou [B, M] in the caller's scope.
     */
    Output predict(Tokens t, boolean multimask) {
        try (Scope scope = Scope.open()) {
            int first = firstToken(multimask);
            int count = multimask ? maskTokens - 1 : 1;
            Tensor masks = maskLogits(t.features, Ops.narrow(t.hyperIn, 1, first, count));
            return new Output(scope.keep(masks), scope.keep(Ops.contiguous(Ops.narrow(t.iou, 1, first, count))));
        }
    }

    static int firstToken(boolean multimask) {
        return multimask ? 1 : 0;
    }

    /** Mask logits [B, M, 4h, 4w] of token-major image features [B, h, w, C] for hypernetwork outputs [B, M, C/8]. */
    Tensor maskLogits(Tensor features, Tensor hyper) {
        return upscaling.maskLogits(features, hyper);
    }

    /** Each mask token through its own MLP: [B, M, C] → [B, M, C/8]. */
    Tensor hypernetworks(Tensor maskTokenOut) {
        Tensor[] out = new Tensor[maskTokens];
        for (int i = 0; i < maskTokens; i++) {
            out[i] = mlp(Ops.select(maskTokenOut, 1, i), w.at("output_hypernetworks_mlps." + i + "."), hyperDepths[i]);
        }
        return Ops.stack(1, out);
    }

    /** Checks an {@link #mlp}'s layers: input {@code in}, hidden {@code hidden}, output {@code out}. */
    private static void expectMlp(Weights m, int layers, long in, long hidden, long out) {
        for (int i = 0; i < layers; i++) {
            m.expectLayer("layers." + i, i == layers - 1 ? out : hidden, i == 0 ? in : hidden);
        }
    }

    /** SAM's {@code MLP}: linear layers with ReLU between them, none after the last. */
    private static Tensor mlp(Tensor x, Weights m, int layers) {
        Tensor h = x;
        for (int i = 0; i < layers; i++) {
            h = Layers.linear(h, m, "layers." + i);
            if (i < layers - 1) {
                h = Ops.relu(h);
            }
        }
        return h;
    }

    @Override
    public void close() {
        transformer.close();
        upscaling.close();
    }
}
