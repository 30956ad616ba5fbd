package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LabelingTest {
    @Test
    void diagonalNeighboursJoinOnlyWithEightConnectivity() {
        boolean[] mask = Masks.parse("10", "01");
        assertArrayEquals(new int[] {1, 0, 0, 2}, Labeling.label(mask, 2, 2, Connectivity.FOUR));
        assertArrayEquals(new int[] {1, 0, 0, 1}, Labeling.label(mask, 2, 2, Connectivity.EIGHT));
    }

    @Test
    void numbersComponentsByTheirFirstPixelInRasterOrder() {
        // Raster order of first pixels: (0,1), (0,3), (2,2). Column-major order would swap the last two.
        boolean[] mask = Masks.parse(
                "0101",
                "1100",
                "0011");
        assertArrayEquals(new int[] {
            0, 1, 0, 2,
            1, 1, 0, 0,
            0, 0, 3, 3}, Labeling.label(mask, 3, 4, Connectivity.FOUR));
        // With corners, (2,2) touches (1,1), so the bottom run joins component 1.
        assertArrayEquals(new int[] {
            0, 1, 0, 2,
            1, 1, 0, 0,
            0, 0, 1, 1}, Labeling.label(mask, 3, 4, Connectivity.EIGHT));
    }

    @Test
    void aUShapeIsOneComponentLabelledFromItsTopLeftArm() {
        boolean[] mask = Masks.parse(
                "101",
                "101",
                "111");
        int[] labels = Labeling.label(mask, 3, 3, Connectivity.FOUR);
        assertArrayEquals(new int[] {1, 0, 1, 1, 0, 1, 1, 1, 1}, labels);
        assertEquals(1, Labeling.count(labels));
    }
}
