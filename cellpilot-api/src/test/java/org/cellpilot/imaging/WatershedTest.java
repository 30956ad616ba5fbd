package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class WatershedTest {
    /**
     * Basins at both ends of a ridge: the left marker's neighbour (value 1) is pushed with age 2, the right one's
     * with age 3, so the left side pops first and claims the crest.
     */
    @Test
    void theEarlierPushedSideTakesTheCrest() {
        double[] image = {0, 1, 2, 1, 0};
        assertArrayEquals(new int[] {1, 1, 1, 2, 2},
                Watershed.flood(image, new int[] {1, 0, 0, 0, 2}, full(5), 1, 5));
    }

    /** A pixel belongs to whoever pushes it first, however high it is: labels are set at push time. */
    @Test
    void pixelsAreClaimedWhenPushedNotWhenPopped() {
        double[] image = {0, 5, 1, 1, 1, 0};
        assertArrayEquals(new int[] {1, 1, 2, 2, 2, 2},
                Watershed.flood(image, new int[] {1, 0, 0, 0, 0, 2}, full(6), 1, 6));
    }

    /**
     * Markers of equal value enter with age 0, so skimage's heap shape decides: after marker 3 is popped, the last
     * item (marker 2) moves to the root and marker 1 is not strictly smaller, so marker 2 pops before marker 1 and
     * takes the free pixel. A heap breaking ties by insertion order would give it to marker 1.
     */
    @Test
    void equalMarkersPopInSkimagesHeapOrder() {
        double[] image = {0, 1, 1, 1};
        assertArrayEquals(new int[] {3, 1, 2, 2},
                Watershed.flood(image, new int[] {3, 1, 0, 2}, full(4), 1, 4));
    }

    @Test
    void staysInsideTheMaskAndLeavesUnreachedPixelsUnlabelled() {
        double[] image = new double[6];
        boolean[] mask = Masks.parse("110", "011");
        int[] markers = {1, 0, 0, 0, 0, 2};
        assertArrayEquals(new int[] {1, 1, 0, 0, 2, 2}, Watershed.flood(image, markers, mask, 2, 3));
        boolean[] split = Masks.parse("101", "101");
        assertArrayEquals(new int[] {1, 0, 0, 1, 0, 0}, Watershed.flood(image, new int[] {1, 0, 0, 0, 0, 0}, split, 2, 3));
    }

    @Test
    void markersOutsideTheMaskAreIgnored() {
        boolean[] mask = Masks.parse("0111");
        assertArrayEquals(new int[] {0, 2, 2, 2}, Watershed.flood(new double[4], new int[] {1, 0, 0, 2}, mask, 1, 4));
    }

    private static boolean[] full(int n) {
        boolean[] mask = new boolean[n];
        java.util.Arrays.fill(mask, true);
        return mask;
    }
}
