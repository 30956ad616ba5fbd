package org.cellpilot.imaging;

/**
 * {@code scipy.ndimage.binary_fill_holes} with its default structure: background that cannot reach the image
 * border through edge-adjacent background pixels becomes foreground.
 */
public final class BinaryFill {
    private BinaryFill() {}

    public static boolean[] fillHoles(boolean[] mask, int height, int width) {
        Grids.checkSize(mask.length, height, width);
        boolean[] background = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            background[i] = !mask[i];
        }
        int[] regions = Labeling.label(background, height, width, Connectivity.FOUR);
        boolean[] reachesBorder = new boolean[Labeling.count(regions) + 1];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (y == 0 || x == 0 || y == height - 1 || x == width - 1) {
                    reachesBorder[regions[y * width + x]] = true;
                }
            }
        }
        boolean[] filled = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            filled[i] = mask[i] || !reachesBorder[regions[i]];
        }
        return filled;
    }
}
