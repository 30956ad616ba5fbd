package org.cellpilot.eval;

import java.util.HashSet;
import java.util.Set;
import org.cellpilot.imaging.DistanceTransform;

/**
 * SimpleClick's {@code Clicker} rule, exactly: the exact Euclidean distance transform of the missed and of the
 * extra pixels, each padded by one background pixel so the image border counts as border; pixels already clicked
 * score 0. A strictly larger missed maximum gives a positive click there, anything else a negative click at the
 * extra maximum; equal maxima go to the first in row-major order. With no error at all both maxima are 0 and the
 * click is negative at (0, 0), as SimpleClick's is.
 */
final class DistanceClicker implements Clicker {
    /** Row-major indices of this sequence's clicks: a handful, so a set rather than an image-sized array. */
    private final Set<Integer> clicked = new HashSet<>();

    @Override
    public Click next(boolean[] truth, boolean[] predicted, int width, int height) {
        double[] missed = paddedDistance(Errors.falseNegative(truth, predicted), width, height);
        double[] extra = paddedDistance(Errors.falsePositive(truth, predicted), width, height);
        int fn = firstMaximum(missed, width, height);
        int fp = firstMaximum(extra, width, height);
        boolean positive = score(missed, fn, width) > score(extra, fp, width);
        int at = positive ? fn : fp;
        Click click = new Click(at % width, at / width, positive);
        clicked(click, width);
        return click;
    }

    @Override
    public void clicked(Click click, int width) {
        clicked.add(click.y() * width + click.x());
    }

    /** The distance transform of {@code error} with a one-pixel background frame, indexed in the padded grid. */
    private static double[] paddedDistance(boolean[] error, int width, int height) {
        int pw = width + 2;
        boolean[] padded = new boolean[pw * (height + 2)];
        for (int y = 0; y < height; y++) {
            System.arraycopy(error, y * width, padded, (y + 1) * pw + 1, width);
        }
        return DistanceTransform.euclidean(padded, height + 2, pw);
    }

    /** The row-major index (in the unpadded image) of the first largest unclicked distance; 0 if all are 0. */
    private int firstMaximum(double[] distance, int width, int height) {
        int best = 0;
        double max = 0;
        for (int i = 0; i < width * height; i++) {
            double d = score(distance, i, width);
            if (d > max) {
                max = d;
                best = i;
            }
        }
        return best;
    }

    private double score(double[] distance, int i, int width) {
        if (clicked.contains(i)) {
            return 0;
        }
        return distance[(i / width + 1) * (width + 2) + i % width + 1];
    }
}
