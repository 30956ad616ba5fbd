package org.cellpilot.imaging;

/**
 * Connected-component labelling with {@code scipy.ndimage.label} / {@code skimage.measure.label} numbering:
 * components get 1, 2, … in the raster order of their first pixel.
 */
public final class Labeling {
    private Labeling() {}

    /**
     * Labels the foreground of a row-major {@code height × width} mask.
     *
     * @return a label per pixel, 0 for background; the largest label is the number of components
     */
    public static int[] label(boolean[] mask, int height, int width, Connectivity connectivity) {
        Grids.checkSize(mask.length, height, width);
        int[] labels = new int[mask.length];
        int[] stack = new int[mask.length];
        int next = 0;
        for (int seed = 0; seed < mask.length; seed++) {
            if (!mask[seed] || labels[seed] != 0) {
                continue;
            }
            int label = ++next;
            labels[seed] = label;
            int top = 0;
            stack[top++] = seed;
            while (top > 0) {
                int p = stack[--top];
                int y = p / width;
                int x = p % width;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        if ((dx == 0 && dy == 0) || (connectivity == Connectivity.FOUR && dx != 0 && dy != 0)) {
                            continue;
                        }
                        int ny = y + dy;
                        int nx = x + dx;
                        if (ny < 0 || ny >= height || nx < 0 || nx >= width) {
                            continue;
                        }
                        int q = ny * width + nx;
                        if (mask[q] && labels[q] == 0) {
                            labels[q] = label;
                            stack[top++] = q;
                        }
                    }
                }
            }
        }
        return labels;
    }

    /** The number of components in a label map from {@link #label}: its largest label. */
    public static int count(int[] labels) {
        int max = 0;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return max;
    }
}
