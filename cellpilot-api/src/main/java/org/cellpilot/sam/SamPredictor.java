package org.cellpilot.sam;

import java.util.List;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * {@code SamPredictor} for one encoded image: prompts in original-image pixels in, masks at the original size,
 * predicted IoU and low-res logits out. Safe to use from several threads at once (it only reads).
 */
public final class SamPredictor implements AutoCloseable {
    private final SamModel model;
    private final Tensor embedding;
    private final ResizeLongestSide transform;

    SamPredictor(SamModel model, Tensor embedding, ResizeLongestSide transform) {
        this.model = model;
        this.embedding = embedding;
        this.transform = transform;
    }

    /** [1, C, S, S]; owned by this predictor. */
    public Tensor embedding() {
        return embedding;
    }

    public int width() {
        return transform.originalWidth;
    }

    public int height() {
        return transform.originalHeight;
    }

    /** Masks [C, H, W] uint8 0/1, iou [C], low-res logits [C, 4S, 4S]; the caller closes it. */
    public Prediction predict(SamPrompt prompt, boolean multimask) {
        try (Scope scope = Scope.open(); Prediction batch = predictBatch(List.of(prompt), multimask)) {
            Prediction one = new Prediction(Ops.select(batch.masks, 0, 0), Ops.select(batch.iou, 0, 0),
                    Ops.select(batch.lowResLogits, 0, 0));
            return one.keepIn(scope);
        }
    }

    /**
     * One decoder pass for many prompts of the same form (same point count; all with or all without a box and a
     * mask), as {@code predict_torch}: masks [B, C, H, W], iou [B, C], low-res logits [B, C, 4S, 4S].
     */
    public Prediction predictBatch(List<SamPrompt> prompts, boolean multimask) {
        try (Scope scope = Scope.open()) {
            MaskDecoder.Output out = decode(prompts, multimask);
            Tensor masks = Ops.to(Ops.gt(upscaleToOriginal(out.masks), 0.0), DType.UINT8);
            return new Prediction(masks, out.iou, out.masks).keepIn(scope);
        }
    }

    /** Low-res logits and IoU for the prompts, before any upsampling. */
    MaskDecoder.Output decode(List<SamPrompt> prompts, boolean multimask) {
        PromptBatch batch = PromptBatch.of(prompts, transform, model.lowResSize());
        PromptEncoder pe = model.promptEncoder();
        Tensor sparse = pe.sparse(batch.coords, batch.rows, batch.keep);
        Tensor dense = batch.masks == null ? pe.denseWithoutMask() : pe.denseFromMask(batch.masks);
        return model.maskDecoder().predict(embedding, pe.densePe(), sparse, dense, multimask);
    }

    /** {@code postprocess_masks}: to the model size, crop the padding, to the original size (bilinear). */
    Tensor upscaleToOriginal(Tensor lowRes) {
        int size = model.imageSize();
        Tensor x = Ops.upsampleBilinear(lowRes, size, size, false, false);
        x = Ops.slice(Ops.slice(x, 2, 0, transform.height), 3, 0, transform.width);
        return Ops.upsampleBilinear(x, transform.originalHeight, transform.originalWidth, false, false);
    }

    @Override
    public void close() {
        embedding.close();
    }

    /** A prediction's tensors; closing frees them. */
    public static final class Prediction implements AutoCloseable {
        public final Tensor masks;
        public final Tensor iou;
        public final Tensor lowResLogits;

        Prediction(Tensor masks, Tensor iou, Tensor lowResLogits) {
            this.masks = masks;
            this.iou = iou;
            this.lowResLogits = lowResLogits;
        }

        Prediction keepIn(Scope scope) {
            return new Prediction(Scope.detach(scope.keep(Ops.contiguous(masks))), Scope.detach(scope.keep(Ops.contiguous(iou))),
                    Scope.detach(scope.keep(Ops.contiguous(lowResLogits))));
        }

        @Override
        public void close() {
            masks.close();
            iou.close();
            lowResLogits.close();
        }
    }
}
