package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PeaksTest {
    private static final boolean[] ALL5 = {true, true, true, true, true};

    @Test
    void secondaryMaximumIsKeptWhileItsDynamicReachesTheThreshold() {
        // Peaks 5 (index 1) and 3 (index 3) meet at the saddle 2: the lower one stands out by 3 − 2 = 1.
        double[] image = {1, 5, 2, 3, 1};
        assertArrayEquals(new int[] {1, 3}, Peaks.find(image, ALL5, 1, 5, Connectivity.FOUR, 1, 0));
        assertArrayEquals(new int[] {1}, Peaks.find(image, ALL5, 1, 5, Connectivity.FOUR, 1.5, 0));
    }

    @Test
    void minDistanceDropsTheLowerOfTwoCloseMaxima() {
        double[] image = {1, 5, 2, 3, 1};
        assertArrayEquals(new int[] {1, 3}, Peaks.find(image, ALL5, 1, 5, Connectivity.FOUR, 0, 2));
        assertArrayEquals(new int[] {1}, Peaks.find(image, ALL5, 1, 5, Connectivity.FOUR, 0, 2.5));
    }

    @Test
    void everyComponentKeepsItsHighestPixelAndPlateausCountOnce() {
        // Two components split by index 2; the right one is a plateau, kept once at its first pixel even though
        // no threshold would keep a secondary maximum and it is close to the left peak.
        boolean[] mask = {true, true, false, true, true};
        double[] image = {1, 2, 9, 1, 1};
        assertArrayEquals(new int[] {1, 3}, Peaks.find(image, mask, 1, 5, Connectivity.FOUR, 100, 100));
    }

    @Test
    void equalPeaksKeepTheFirstInRasterOrderWhenMerged() {
        double[] image = {4, 0, 4};
        boolean[] mask = {true, true, true};
        assertArrayEquals(new int[] {0, 2}, Peaks.find(image, mask, 1, 3, Connectivity.FOUR, 4, 0));
        assertArrayEquals(new int[] {0}, Peaks.find(image, mask, 1, 3, Connectivity.FOUR, 4.5, 0));
    }

    @Test
    void aPlateauWhoseArmsMeetLateIsStillOneMaximum() {
        // Flooded in raster order, the 5 at index 2 starts its own component (its neighbours 1 and 5 come later)
        // and meets the first arm at index 5 on the same level: dynamic 0, so not a maximum even at threshold 0.
        double[] image = {
            5, 1, 5,
            5, 5, 5,
        };
        boolean[] mask = {true, true, true, true, true, true};
        assertArrayEquals(new int[] {0}, Peaks.find(image, mask, 2, 3, Connectivity.FOUR, 0, 0));
    }

    @Test
    void diagonalNeighboursJoinOnlyUnderEightConnectivity() {
        // 4 at (0, 0) and 3 at (1, 1): one hill for 8-connectivity; for 4-connectivity the 3 is its own
        // maximum, first met by the 4's hill at level 0, so its dynamic is 3.
        double[] image = {
            4, 0, 0,
            0, 3, 0,
            0, 0, 0,
        };
        boolean[] mask = new boolean[9];
        java.util.Arrays.fill(mask, true);
        assertArrayEquals(new int[] {0}, Peaks.find(image, mask, 3, 3, Connectivity.EIGHT, 1, 0));
        assertArrayEquals(new int[] {0, 4}, Peaks.find(image, mask, 3, 3, Connectivity.FOUR, 3, 0));
        assertArrayEquals(new int[] {0}, Peaks.find(image, mask, 3, 3, Connectivity.FOUR, 3.5, 0));
    }

    @Test
    void pixelsOutsideTheMaskAreIgnored() {
        // The 9 lies outside the mask, so the masked 1 and 3 are separate components.
        double[] image = {1, 9, 3};
        boolean[] mask = {true, false, true};
        assertArrayEquals(new int[] {0, 2}, Peaks.find(image, mask, 1, 3, Connectivity.EIGHT, 100, 0));
    }
}
