package org.cellpilot.imaging;

/**
 * {@code scipy.ndimage.binary_fill_holes} with its default structure: background that cannot reach the image
 * border through edge-adjacent background pixels becomes foreground.
 */
public final class BinaryFill {
    private BinaryFill() {}

    public static boolean[] fillHoles(boolean[] mask, int height, int width) {
        Grids.checkSize(mask.length, height, width);
        boolean[] outside = new boolean[mask.length];
        int[] stack = new int[mask.length];
        int top = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                boolean border = y == 0 || x == 0 || y == height - 1 || x == width - 1;
                if (border && !mask[p] && !outside[p]) {
                    outside[p] = true;
                    stack[top++] = p;
                }
            }
        }
        while (top > 0) {
            int p = stack[--top];
            int y = p / width;
            int x = p % width;
            top = visit(mask, outside, stack, top, y > 0, p - width);
            top = visit(mask, outside, stack, top, x > 0, p - 1);
            top = visit(mask, outside, stack, top, x < width - 1, p + 1);
            top = visit(mask, outside, stack, top, y < height - 1, p + width);
        }
        boolean[] filled = new boolean[mask.length];
        for (int i = 0; i < filled.length; i++) {
            filled[i] = !outside[i];
        }
        return filled;
    }

    private static int visit(boolean[] mask, boolean[] outside, int[] stack, int top, boolean inside, int q) {
        if (inside && !mask[q] && !outside[q]) {
            outside[q] = true;
            stack[top++] = q;
        }
        return top;
    }
}
