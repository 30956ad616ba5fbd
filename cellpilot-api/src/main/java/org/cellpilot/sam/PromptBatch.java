package org.cellpilot.sam;

import java.util.List;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Tensor;

/**
 * Prompts packed into the prompt encoder's tensors, as {@code SamPredictor.predict_torch} and
 * {@code PromptEncoder._embed_points/_embed_boxes} lay them out: points first (shifted by half a pixel,
 * plus a padding point when there is no box), then the two box corners.
 */
final class PromptBatch {
    final Tensor coords;
    final Tensor rows;
    final Tensor keep;
    final Tensor masks;

    private PromptBatch(Tensor coords, Tensor rows, Tensor keep, Tensor masks) {
        this.coords = coords;
        this.rows = rows;
        this.keep = keep;
        this.masks = masks;
    }

    /** The prompts as tensors on the device of {@code like} (the image embedding). */
    static PromptBatch of(List<SamPrompt> prompts, ResizeLongestSide t, int lowResSize, Tensor like) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts");
        }
        SamPrompt first = prompts.get(0);
        int points = first.pointCount();
        boolean box = first.hasBox();
        boolean mask = first.hasMask();
        for (SamPrompt p : prompts) {
            if (p.pointCount() != points || p.hasBox() != box || p.hasMask() != mask) {
                throw new IllegalArgumentException("prompts in one batch must have the same number of points and all or none "
                        + "of box and mask");
            }
            p.checkInside(t.originalWidth, t.originalHeight);
        }
        boolean pad = points > 0 && !box;
        int tokens = points + (pad ? 1 : 0) + (box ? 2 : 0);
        int b = prompts.size();
        float[] coords = new float[b * tokens * 2];
        long[] rows = new long[b * tokens];
        float[] keep = new float[b * tokens];
        for (int i = 0; i < b; i++) {
            SamPrompt p = prompts.get(i);
            int o = i * tokens;
            for (int j = 0; j < points; j++) {
                coords[(o + j) * 2] = t.x(p.points[j][0]) + 0.5f;
                coords[(o + j) * 2 + 1] = t.y(p.points[j][1]) + 0.5f;
                rows[o + j] = p.labels[j] == 1 ? PromptEncoder.POSITIVE : PromptEncoder.NEGATIVE;
                keep[o + j] = 1f;
            }
            if (pad) {
                rows[o + points] = PromptEncoder.NOT_A_POINT;
            }
            if (box) {
                int c = o + points;
                coords[c * 2] = t.x(p.box[0]) + 0.5f;
                coords[c * 2 + 1] = t.y(p.box[1]) + 0.5f;
                coords[c * 2 + 2] = t.x(p.box[2]) + 0.5f;
                coords[c * 2 + 3] = t.y(p.box[3]) + 0.5f;
                rows[c] = PromptEncoder.BOX_TOP_LEFT;
                rows[c + 1] = PromptEncoder.BOX_BOTTOM_RIGHT;
                keep[c] = 1f;
                keep[c + 1] = 1f;
            }
        }
        Tensor masks = null;
        if (mask) {
            Tensor[] each = new Tensor[b];
            for (int i = 0; i < b; i++) {
                Tensor m = prompts.get(i).maskInput;
                if (m.numel() != (long) lowResSize * lowResSize) {
                    throw new IllegalArgumentException("mask_input must be " + lowResSize + "x" + lowResSize + " low-res logits, got "
                            + m.describe());
                }
                each[i] = Ops.reshape(m, 1, 1, lowResSize, lowResSize);
            }
            masks = b == 1 ? each[0] : Ops.cat(0, each);
        }
        return new PromptBatch(Ops.onDeviceOf(Tensor.of(coords, b, tokens, 2), like), Ops.onDeviceOf(Tensor.of(rows, b, tokens), like),
                Ops.onDeviceOf(Tensor.of(keep, b, tokens, 1), like), masks == null ? null : Ops.onDeviceOf(masks, like));
    }
}
