package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DistanceTransformTest {
    private static final double R2 = Math.sqrt(2);
    private static final double R5 = Math.sqrt(5);
    private static final double R8 = Math.sqrt(8);

    @Test
    void singleBackgroundPixelGivesDistanceToIt() {
        boolean[] mask = new boolean[25];
        java.util.Arrays.fill(mask, true);
        mask[12] = false;
        double[] expected = {
            R8, R5, 2, R5, R8,
            R5, R2, 1, R2, R5,
            2, 1, 0, 1, 2,
            R5, R2, 1, R2, R5,
            R8, R5, 2, R5, R8,
        };
        assertArrayEquals(expected, DistanceTransform.euclidean(mask, 5, 5), 1e-12);
    }

    @Test
    void imageBorderIsNotBackground() {
        // Background only in the first and last column: rows do not get closer to the top or bottom edge.
        boolean[] mask = new boolean[3 * 7];
        for (int y = 0; y < 3; y++) {
            for (int x = 1; x < 6; x++) {
                mask[y * 7 + x] = true;
            }
        }
        double[] row = {0, 1, 2, 3, 2, 1, 0};
        double[] expected = new double[21];
        for (int y = 0; y < 3; y++) {
            System.arraycopy(row, 0, expected, y * 7, 7);
        }
        assertArrayEquals(expected, DistanceTransform.euclidean(mask, 3, 7), 0);
    }

    @Test
    void nearestOfSeveralBackgroundPixelsWins() {
        // Background at (0, 0) and (4, 3) in a 4×5 grid; (2, 1) is √5 from the first and √8 from the second.
        boolean[] mask = new boolean[20];
        java.util.Arrays.fill(mask, true);
        mask[0] = false;
        mask[3 * 5 + 4] = false;
        double[] d = DistanceTransform.euclidean(mask, 4, 5);
        assertEquals(R5, d[1 * 5 + 2], 1e-12);
        assertEquals(R5, d[2 * 5 + 2], 1e-12, "(2, 2) is √8 from (0, 0), √5 from (4, 3)");
        assertEquals(3, d[3 * 5 + 0], 1e-12, "(0, 3): 3 from (0, 0), 4 from (4, 3)");
    }

    @Test
    void noBackgroundIsInfinitelyFar() {
        boolean[] mask = {true, true, true, true, true, true};
        for (double v : DistanceTransform.euclidean(mask, 2, 3)) {
            assertEquals(Double.POSITIVE_INFINITY, v);
        }
    }

    @Test
    void matchesBruteForceOnRandomMasks() {
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int h = 1 + random.nextInt(23);
            int w = 1 + random.nextInt(23);
            boolean[] mask = new boolean[h * w];
            double density = random.nextDouble();
            for (int i = 0; i < mask.length; i++) {
                mask[i] = random.nextDouble() < density;
            }
            double[] actual = DistanceTransform.euclidean(mask, h, w);
            for (int p = 0; p < mask.length; p++) {
                double best = Double.POSITIVE_INFINITY;
                for (int q = 0; q < mask.length; q++) {
                    if (!mask[q]) {
                        best = Math.min(best, Math.hypot(p % w - q % w, p / w - q / w));
                    }
                }
                assertEquals(best, actual[p], 1e-12, "trial " + trial + " pixel " + p);
            }
        }
    }
}
