package org.cellpilot.imaging;

/** An axis-aligned pixel box: rows {@code rowMin ≤ r < rowMax}, columns {@code colMin ≤ c < colMax}. */
public record BoundingBox(int rowMin, int colMin, int rowMax, int colMax) {
    public int height() {
        return rowMax - rowMin;
    }

    public int width() {
        return colMax - colMin;
    }

    /** The box of every label of a label map, indexed by label; {@code null} where a label is absent (and for 0). */
    public static BoundingBox[] ofLabels(int[] labels, int height, int width) {
        Grids.checkSize(labels.length, height, width);
        int n = Labeling.count(labels) + 1;
        int[] rowMin = new int[n];
        int[] colMin = new int[n];
        int[] rowMax = new int[n];
        int[] colMax = new int[n];
        java.util.Arrays.fill(rowMin, Integer.MAX_VALUE);
        java.util.Arrays.fill(colMin, Integer.MAX_VALUE);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int l = labels[y * width + x];
                rowMin[l] = Math.min(rowMin[l], y);
                colMin[l] = Math.min(colMin[l], x);
                rowMax[l] = Math.max(rowMax[l], y + 1);
                colMax[l] = Math.max(colMax[l], x + 1);
            }
        }
        BoundingBox[] boxes = new BoundingBox[n];
        for (int l = 1; l < n; l++) {
            if (rowMax[l] > 0) {
                boxes[l] = new BoundingBox(rowMin[l], colMin[l], rowMax[l], colMax[l]);
            }
        }
        return boxes;
    }
}
