package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OtsuTest {
    /** Every t in [10, 199] splits the two levels equally well; OpenCV keeps the first, 10. */
    @Test
    void twoLevelsSplitAtTheLowerOne() {
        byte[] gray = new byte[10];
        for (int i = 0; i < 10; i++) {
            gray[i] = (byte) (i < 5 ? 10 : 200);
        }
        assertEquals(10, Otsu.threshold(gray));
    }

    /**
     * Levels 0 (×4), 100 (×2), 200 (×2): splitting after 0 gives a between-class variance of
     * ½·½·(0 − 150)² = 5625, after 100 only ¾·¼·(33.3 − 200)² ≈ 5208.
     */
    @Test
    void threeLevelsSplitWhereTheVarianceBetweenClassesPeaks() {
        byte[] gray = {0, 0, 0, 0, 100, 100, (byte) 200, (byte) 200};
        assertEquals(0, Otsu.threshold(gray));
    }
}
