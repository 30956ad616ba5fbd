package org.cellpilot;

/**
 * SAM's answer to one complete prompt ({@link Session#predict}): one or three candidate masks over the session's
 * region, the IoU SAM predicts for each, and each candidate's low-res logits, which can go back in as the
 * {@code maskInput} of the next prediction. Plain Java arrays: it holds no native memory.
 */
public final class Prediction {
    private final int width;
    private final int height;
    private final byte[] masks;
    private final float[] iou;
    private final float[] lowResLogits;

    Prediction(int width, int height, byte[] masks, float[] iou, float[] lowResLogits) {
        this.width = width;
        this.height = height;
        this.masks = masks;
        this.iou = iou;
        this.lowResLogits = lowResLogits;
    }

    /** The number of candidates: 3 with multimask output, else 1. */
    public int count() {
        return iou.length;
    }

    /** The session region's width, the masks' row length. */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Candidate {@code i} thresholded at logit 0, row-major over the session's region (index y·width + x). */
    public boolean[] mask(int i) {
        int n = width * height;
        boolean[] out = new boolean[n];
        int base = checked(i) * n;
        for (int p = 0; p < n; p++) {
            out[p] = masks[base + p] != 0;
        }
        return out;
    }

    public double iou(int i) {
        return iou[checked(i)];
    }

    /** Candidate {@code i}'s logits before upsampling, row-major, {@code 4S × 4S} (256 × 256 for ViT-B). */
    public float[] lowResLogits(int i) {
        int n = lowResLogits.length / iou.length;
        float[] out = new float[n];
        System.arraycopy(lowResLogits, checked(i) * n, out, 0, n);
        return out;
    }

    private int checked(int i) {
        if (i < 0 || i >= iou.length) {
            throw new IndexOutOfBoundsException("candidate " + i + " of " + iou.length);
        }
        return i;
    }
}
