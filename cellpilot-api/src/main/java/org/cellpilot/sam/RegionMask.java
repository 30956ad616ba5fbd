package org.cellpilot.sam;

/**
 * A mask computed only inside its region of interest: mask logits at original-image resolution for the pixels
 * [x0, x1) × [y0, y1), row by row, and the predicted IoU. Pixels outside the region are not part of the mask.
 */
public final class RegionMask {
    public final int x0;
    public final int y0;
    public final int x1;
    public final int y1;
    public final float iou;
    private final float[] logits;

    RegionMask(int x0, int y0, int x1, int y1, float[] logits, float iou) {
        this.x0 = x0;
        this.y0 = y0;
        this.x1 = x1;
        this.y1 = y1;
        this.logits = logits;
        this.iou = iou;
    }

    public int width() {
        return x1 - x0;
    }

    public int height() {
        return y1 - y0;
    }

    /** The logit at image pixel (x, y), which must lie in the region. */
    public float logit(int x, int y) {
        if (x < x0 || x >= x1 || y < y0 || y >= y1) {
            throw new IndexOutOfBoundsException("(" + x + ", " + y + ") is outside the region");
        }
        return logits[(y - y0) * (x1 - x0) + (x - x0)];
    }

    /** True where the logit is above SAM's threshold 0. */
    public boolean contains(int x, int y) {
        return x >= x0 && x < x1 && y >= y0 && y < y1 && logits[(y - y0) * (x1 - x0) + (x - x0)] > 0f;
    }
}
