package org.cellpilot.eval;

/** IoU and Dice of a predicted mask with its instance, both as row-major masks of one size. */
record Overlap(double iou, double dice) {
    static Overlap of(boolean[] truth, boolean[] predicted) {
        long inter = 0;
        long sum = 0;
        for (int i = 0; i < truth.length; i++) {
            inter += truth[i] && predicted[i] ? 1 : 0;
            sum += (truth[i] ? 1 : 0) + (predicted[i] ? 1 : 0);
        }
        long union = sum - inter;
        // The instance is never empty, so neither denominator is 0.
        return new Overlap((double) inter / union, 2.0 * inter / sum);
    }
}
