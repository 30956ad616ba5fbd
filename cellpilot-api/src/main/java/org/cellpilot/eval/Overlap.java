package org.cellpilot.eval;

/** IoU and Dice of two row-major masks of one size, at least one of them not empty. */
record Overlap(double iou, double dice) {
    static Overlap of(boolean[] truth, boolean[] predicted) {
        long inter = 0;
        long sum = 0;
        for (int i = 0; i < truth.length; i++) {
            inter += truth[i] && predicted[i] ? 1 : 0;
            sum += (truth[i] ? 1 : 0) + (predicted[i] ? 1 : 0);
        }
        long union = sum - inter;
        return new Overlap((double) inter / union, 2.0 * inter / sum);
    }
}
