package org.cellpilot.eval;

import java.util.Random;
import org.cellpilot.imaging.Connectivity;
import org.cellpilot.imaging.Labeling;

/**
 * CellPilot's rule ({@code PromptProcessing.refine_prompts}): label the 8-connected components of the missed and
 * of the extra pixels, take the largest by pixel count, and click a uniformly random pixel of it, positive if it
 * was missed. A tie between a missed and an extra component goes to the missed one; among components of one
 * kind, to the first in raster order. With no error there is nothing to click.
 */
final class LargestComponentClicker implements Clicker {
    private final Random random;

    LargestComponentClicker(Random random) {
        this.random = random;
    }

    @Override
    public Click next(boolean[] truth, boolean[] predicted, int width, int height) {
        int[] missed = Labeling.label(Errors.falseNegative(truth, predicted), height, width, Connectivity.EIGHT);
        int[] extra = Labeling.label(Errors.falsePositive(truth, predicted), height, width, Connectivity.EIGHT);
        int[] missedSizes = sizes(missed);
        int[] extraSizes = sizes(extra);
        int m = largest(missedSizes);
        int e = largest(extraSizes);
        int missedSize = missedSizes[m];
        int extraSize = extraSizes[e];
        if (missedSize == 0 && extraSize == 0) {
            return null;
        }
        boolean positive = missedSize >= extraSize;
        int[] labels = positive ? missed : extra;
        int label = positive ? m : e;
        int pick = random.nextInt(positive ? missedSize : extraSize);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == label && pick-- == 0) {
                return new Click(i % width, i / width, positive);
            }
        }
        throw new IllegalStateException("component " + label + " is smaller than counted");
    }

    @Override
    public void clicked(Click click, int width) {
        // Clicks already made do not change this rule.
    }

    /** Pixel count per label (index 0, the background, counts nothing). */
    private static int[] sizes(int[] labels) {
        int[] sizes = new int[Labeling.count(labels) + 1];
        for (int l : labels) {
            if (l > 0) {
                sizes[l]++;
            }
        }
        return sizes;
    }

    /** The first label with the largest size, or 0 if there is none. */
    private static int largest(int[] sizes) {
        int best = 0;
        for (int l = 1; l < sizes.length; l++) {
            if (sizes[l] > sizes[best]) {
                best = l;
            }
        }
        return best;
    }
}
