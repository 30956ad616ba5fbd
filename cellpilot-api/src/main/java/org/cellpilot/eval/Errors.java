package org.cellpilot.eval;

/** The two kinds of error of a predicted mask against its instance. */
final class Errors {
    private Errors() {
    }

    /** Missed pixels: in the instance, not in the mask. */
    static boolean[] falseNegative(boolean[] truth, boolean[] predicted) {
        boolean[] out = new boolean[truth.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = truth[i] && !predicted[i];
        }
        return out;
    }

    /** Extra pixels: in the mask, not in the instance. */
    static boolean[] falsePositive(boolean[] truth, boolean[] predicted) {
        return falseNegative(predicted, truth);
    }
}
