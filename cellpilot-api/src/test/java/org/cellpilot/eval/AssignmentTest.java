package org.cellpilot.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The assignment solver against brute force over every pairing, square and rectangular both ways. */
class AssignmentTest {
    @Test
    void findsTheCheapestPairingOfRandomMatrices() {
        Random random = new Random(3);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + random.nextInt(6);
            int cols = 1 + random.nextInt(6);
            double[][] cost = new double[rows][cols];
            for (double[] row : cost) {
                for (int j = 0; j < cols; j++) {
                    // Integers make ties common, as zero IoUs are in AJI+.
                    row[j] = random.nextInt(5) - 2;
                }
            }
            int[] pair = Assignment.minimumCost(cost);
            boolean[] taken = new boolean[cols];
            double total = 0;
            int made = 0;
            for (int r = 0; r < rows; r++) {
                if (pair[r] >= 0) {
                    assertEquals(false, taken[pair[r]], "column used twice");
                    taken[pair[r]] = true;
                    total += cost[r][pair[r]];
                    made++;
                }
            }
            assertEquals(Math.min(rows, cols), made, "min(rows, cols) pairs");
            assertEquals(best(cost, 0, new boolean[cols]), total, 1e-9, "trial " + trial);
        }
    }

    @Test
    void handlesEmptyAndKnownCases() {
        assertArrayEquals(new int[] {-1, -1}, Assignment.minimumCost(new double[2][0]));
        assertArrayEquals(new int[] {1, 0}, Assignment.minimumCost(new double[][] {{5, 1}, {1, 5}}));
        assertArrayEquals(new int[] {-1, 0}, Assignment.minimumCost(new double[][] {{9}, {1}}));
    }

    /** The least total cost of pairing rows r… with unused columns, min(rows, cols) pairs in all. */
    private static double best(double[][] cost, int r, boolean[] used) {
        int rows = cost.length;
        int cols = cost[0].length;
        if (r == rows) {
            return 0;
        }
        double min = Double.POSITIVE_INFINITY;
        int freeCols = 0;
        for (boolean u : used) {
            freeCols += u ? 0 : 1;
        }
        if (rows - r > freeCols) {
            min = best(cost, r + 1, used); // this row may stay unpaired while rows outnumber the free columns
        }
        for (int c = 0; c < cols; c++) {
            if (!used[c]) {
                used[c] = true;
                min = Math.min(min, cost[r][c] + best(cost, r + 1, used));
                used[c] = false;
            }
        }
        return min;
    }
}
