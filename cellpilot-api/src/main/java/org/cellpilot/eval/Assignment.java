package org.cellpilot.eval;

import java.util.Arrays;

/**
 * The linear assignment problem ({@code scipy.optimize.linear_sum_assignment}): pair rows with columns, each at
 * most once, so that min(rows, columns) pairs are made at the least total cost. The Hungarian method with
 * potentials (Kuhn–Munkres in Jonker and Volgenant's shortest-augmenting-path form), O(n²·m) for n ≤ m.
 */
final class Assignment {
    private Assignment() {
    }

    /** For each row, its column, or −1 when there are more rows than columns and this row is left out. */
    static int[] minimumCost(double[][] cost) {
        int rows = cost.length;
        int cols = rows == 0 ? 0 : cost[0].length;
        if (rows == 0 || cols == 0) {
            int[] none = new int[rows];
            Arrays.fill(none, -1);
            return none;
        }
        if (rows <= cols) {
            return solve(cost, rows, cols, false);
        }
        int[] colToRow = solve(cost, cols, rows, true);
        int[] out = new int[rows];
        Arrays.fill(out, -1);
        for (int c = 0; c < cols; c++) {
            out[colToRow[c]] = c;
        }
        return out;
    }

    /**
     * Assigns each of {@code n} rows a distinct one of {@code m ≥ n} columns; with {@code transposed}, the rows
     * are the columns of {@code cost}.
     */
    private static int[] solve(double[][] cost, int n, int m, boolean transposed) {
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] owner = new int[m + 1]; // owner[j]: the row (1-based) holding column j, 0 if free
        int[] previous = new int[m + 1];
        double[] reach = new double[m + 1];
        boolean[] used = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            owner[0] = i;
            int j0 = 0;
            Arrays.fill(reach, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = owner[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double c = (transposed ? cost[j - 1][i0 - 1] : cost[i0 - 1][j - 1]) - u[i0] - v[j];
                        if (c < reach[j]) {
                            reach[j] = c;
                            previous[j] = j0;
                        }
                        if (reach[j] < delta) {
                            delta = reach[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[owner[j]] += delta;
                        v[j] -= delta;
                    } else {
                        reach[j] -= delta;
                    }
                }
                j0 = j1;
            } while (owner[j0] != 0);
            do {
                int j1 = previous[j0];
                owner[j0] = owner[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] rowToCol = new int[n];
        for (int j = 1; j <= m; j++) {
            if (owner[j] != 0) {
                rowToCol[owner[j] - 1] = j - 1;
            }
        }
        return rowToCol;
    }
}
