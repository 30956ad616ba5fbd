package org.cellpilot.sam;

import java.util.List;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.Torch;

/**
 * {@code SamPredictor} for one encoded image: prompts in original-image pixels in, masks at the original size,
 * predicted IoU and low-res logits out. Safe to use from several threads at once (it only reads).
 */
public final class SamPredictor implements AutoCloseable {
    private final SamModel model;
    private final Tensor embedding;
    /** The embedding in the decoder's layout, made once here rather than for every prompt. */
    private final Tensor image;
    private final ResizeLongestSide transform;

    /** Takes ownership of {@code embedding}, also when this fails. */
    SamPredictor(SamModel model, Tensor embedding, ResizeLongestSide transform) {
        this.model = model;
        this.embedding = embedding;
        this.transform = transform;
        try {
            this.image = model.maskDecoder().prepare(embedding);
        } catch (RuntimeException e) {
            embedding.close();
            throw e;
        }
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

    /**
     * Masks [C, H, W] uint8 0/1, iou [C], low-res logits [C, 4S, 4S]; the caller closes it. Like every prediction
     * of a few prompts its decoder pass runs {@linkplain Torch#latencyBound latency-bound}: on fewer threads while
     * other processes hold cores.
     */
    public Prediction predict(SamPrompt prompt, boolean multimask) {
        try (Scope scope = Scope.open(); Prediction batch = predictBatch(List.of(prompt), multimask)) {
            Prediction one = new Prediction(Ops.select(batch.masks, 0, 0), Ops.select(batch.iou, 0, 0),
                    Ops.select(batch.lowResLogits, 0, 0));
            return one.keepIn(scope);
        }
    }

    /**
     * The candidate with the highest predicted IoU (of three with {@code multimask}, else the single one), with
     * only that one upsampled to full resolution: masks [1, H, W], iou [1], low-res logits [1, 4S, 4S].
     */
    public Prediction predictBest(SamPrompt prompt, boolean multimask) {
        return Torch.get().latencyBound(() -> {
            try (Scope scope = Scope.open()) {
                Tensor[] best = best(prompt, multimask);
                Tensor masks = Ops.to(Ops.gt(upscaleToOriginal(Ops.unsqueeze(best[0], 0)), 0.0), DType.UINT8);
                return new Prediction(Ops.select(masks, 0, 0), best[1], best[0]).keepIn(scope);
            }
        });
    }

    /** {@link #predictBest}'s low-res logits alone [4S·4S], for a mask input: no full-resolution work. */
    public float[] bestLowResLogits(SamPrompt prompt, boolean multimask) {
        return Torch.get().latencyBound(() -> {
            try (Scope scope = Scope.open()) {
                return best(prompt, multimask)[0].toFloatArray();
            }
        });
    }

    /** {low-res logits [1, 4S, 4S], iou [1]} of the best candidate, in the current scope. */
    private Tensor[] best(SamPrompt prompt, boolean multimask) {
        MaskDecoder.Output out = decode(List.of(prompt), multimask);
        Tensor iou = Ops.select(out.iou, 0, 0);
        int best = (int) Ops.argmax(iou, 0, false).item();
        return new Tensor[] {Ops.narrow(Ops.select(out.masks, 0, 0), 0, best, 1), Ops.narrow(iou, 0, best, 1)};
    }

    /**
     * One decoder pass for many prompts of the same form (same point count; all with or all without a box and a
     * mask), as {@code predict_torch}: masks [B, C, H, W], iou [B, C], low-res logits [B, C, 4S, 4S].
     */
    public Prediction predictBatch(List<SamPrompt> prompts, boolean multimask) {
        return Torch.get().latencyBound(() -> {
            try (Scope scope = Scope.open()) {
                MaskDecoder.Output out = decode(prompts, multimask);
                Tensor masks = Ops.to(Ops.gt(upscaleToOriginal(out.masks), 0.0), DType.UINT8);
                return new Prediction(masks, out.iou, out.masks).keepIn(scope);
            }
        });
    }

    /**
     * The automatic-mode path: one mask (token 0) per prompt, computed only inside each prompt's region — its box
     * (or the bounding box of its points) grown by {@link #regionMargin} on each side — so memory does not grow
     * with image area × prompts. Output upscaling is pixel-local (2×2 stride-2 transposed convolutions,
     * per-pixel LayerNorm and GELU) and the two bilinear resizes read only neighbouring pixels, so inside the
     * region the logits equal the full-frame ones. Prompts run through the decoder {@code chunk} at a time.
     */
    public List<RegionMask> predictRegions(List<SamPrompt> prompts, int chunk) {
        return predictRegions(prompts, chunk, (done, total) -> { });
    }

    /** {@link #predictRegions(List, int)}, telling {@code progress} (done, total) after every decoder pass. */
    public List<RegionMask> predictRegions(List<SamPrompt> prompts, int chunk, java.util.function.BiConsumer<Integer, Integer> progress) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        int low = model.lowResSize();
        int size = model.imageSize();
        BilinearAxis toModel = new BilinearAxis(low, size);
        BilinearAxis toImageY = new BilinearAxis(transform.height, transform.originalHeight);
        BilinearAxis toImageX = new BilinearAxis(transform.width, transform.originalWidth);
        List<RegionMask> out = new java.util.ArrayList<>(prompts.size());
        for (int start = 0; start < prompts.size(); start += chunk) {
            List<SamPrompt> part = prompts.subList(start, Math.min(prompts.size(), start + chunk));
            try (Scope scope = Scope.open()) {
                MaskDecoder.Tokens tokens = tokens(part);
                float[] iou = Ops.contiguous(Ops.select(tokens.iou, 1, 0)).toFloatArray();
                for (int i = 0; i < part.size(); i++) {
                    int[] r = region(part.get(i));
                    int sy0 = toImageY.firstSource(r[1]);
                    int sy1 = toImageY.endSource(r[3]);
                    int sx0 = toImageX.firstSource(r[0]);
                    int sx1 = toImageX.endSource(r[2]);
                    int ey0 = toModel.firstSource(sy0) / 4;
                    int ey1 = (toModel.endSource(sy1) - 1) / 4 + 1;
                    int ex0 = toModel.firstSource(sx0) / 4;
                    int ex1 = (toModel.endSource(sx1) - 1) / 4 + 1;
                    float[] lowRes = regionLogits(tokens, i, ey0, ey1, ex0, ex1);
                    float[] modelFrame = BilinearAxis.resize(lowRes, 4 * ey0, 4 * ex0, 4 * (ex1 - ex0), toModel, toModel,
                            sy0, sy1, sx0, sx1);
                    float[] image = BilinearAxis.resize(modelFrame, sy0, sx0, sx1 - sx0, toImageY, toImageX, r[1], r[3], r[0], r[2]);
                    out.add(new RegionMask(r[0], r[1], r[2], r[3], image, iou[i]));
                }
            }
            progress.accept(out.size(), prompts.size());
        }
        return out;
    }

    /** Low-res logits of prompt {@code i} for embedding cells [ey0, ey1) × [ex0, ex1): 4× as many pixels per side. */
    private float[] regionLogits(MaskDecoder.Tokens tokens, int i, int ey0, int ey1, int ex0, int ex1) {
        try (Scope scope = Scope.open()) {
            Tensor f = Ops.slice(Ops.slice(Ops.narrow(tokens.features, 0, i, 1), 1, ey0, ey1), 2, ex0, ex1);
            Tensor hyper = Ops.narrow(Ops.narrow(tokens.hyperIn, 0, i, 1), 1, MaskDecoder.firstToken(false), 1);
            return model.maskDecoder().maskLogits(Ops.contiguous(f), hyper).toFloatArray();
        }
    }

    /** The margin added on each side of a prompt's box: 20% of its longer side, at least 8 pixels. */
    static double regionMargin(double boxWidth, double boxHeight) {
        return Math.max(8.0, 0.2 * Math.max(boxWidth, boxHeight));
    }

    /** {x0, y0, x1, y1} in original pixels, clipped to the image. */
    int[] region(SamPrompt p) {
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        if (p.box != null) {
            x0 = p.box[0];
            y0 = p.box[1];
            x1 = p.box[2];
            y1 = p.box[3];
        }
        for (double[] pt : p.points) {
            x0 = Math.min(x0, pt[0]);
            y0 = Math.min(y0, pt[1]);
            x1 = Math.max(x1, pt[0]);
            y1 = Math.max(y1, pt[1]);
        }
        if (x0 == Double.MAX_VALUE) {
            return new int[] {0, 0, transform.originalWidth, transform.originalHeight};
        }
        double m = regionMargin(x1 - x0, y1 - y0);
        return new int[] {
            (int) Math.max(0, Math.floor(x0 - m)), (int) Math.max(0, Math.floor(y0 - m)),
            (int) Math.min(transform.originalWidth, Math.ceil(x1 + m)), (int) Math.min(transform.originalHeight, Math.ceil(y1 + m))};
    }

    /** Low-res logits and IoU for the prompts, before any upsampling. */
    MaskDecoder.Output decode(List<SamPrompt> prompts, boolean multimask) {
        return model.maskDecoder().predict(tokens(prompts), multimask);
    }

    /** The prompts encoded and through the decoder's transformer, in the current scope. */
    private MaskDecoder.Tokens tokens(List<SamPrompt> prompts) {
        PromptBatch batch = PromptBatch.of(prompts, transform, model.lowResSize(), embedding);
        PromptEncoder pe = model.promptEncoder();
        Tensor dense = batch.masks == null ? pe.denseWithoutMask() : pe.denseFromMask(batch.masks);
        return model.maskDecoder().decodeTokens(image, pe.sparse(batch.coords, batch.rows, batch.keep), dense);
    }

    /** {@code postprocess_masks}: to the model size, crop the padding, to the original size (bilinear). */
    Tensor upscaleToOriginal(Tensor lowRes) {
        int size = model.imageSize();
        Tensor x = Ops.upsampleBilinear(lowRes, size, size, false, false);
        x = Ops.slice(Ops.slice(x, 2, 0, transform.height), 3, 0, transform.width);
        if (transform.height == transform.originalHeight && transform.width == transform.originalWidth) {
            return x; // a resize to the same size copies (half-pixel centres land on the source pixels)
        }
        return Ops.upsampleBilinear(x, transform.originalHeight, transform.originalWidth, false, false);
    }

    @Override
    public void close() {
        image.close();
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
