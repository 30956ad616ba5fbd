package org.cellpilot.imaging;

/**
 * Binary erosion, dilation and opening as {@code cv2.erode}/{@code dilate}/{@code morphologyEx} with their
 * default border: pixels outside the image never erode and never dilate.
 */
public final class Morphology {
    private Morphology() {}

    public static boolean[] erode(boolean[] mask, int height, int width, StructuringElement footprint) {
        return apply(mask, height, width, footprint, true);
    }

    public static boolean[] dilate(boolean[] mask, int height, int width, StructuringElement footprint) {
        return apply(mask, height, width, footprint, false);
    }

    /** {@code MORPH_OPEN}: erosion, then dilation with the same footprint. */
    public static boolean[] open(boolean[] mask, int height, int width, StructuringElement footprint) {
        return dilate(erode(mask, height, width, footprint), height, width, footprint);
    }

    /**
     * Erosion keeps a pixel when every footprint cell over the image is set; dilation sets it when any is.
     * Cells falling outside the image are ignored, which is OpenCV's default border for both.
     */
    private static boolean[] apply(boolean[] mask, int height, int width, StructuringElement footprint, boolean erode) {
        Grids.checkSize(mask.length, height, width);
        int ay = footprint.height() / 2;
        int ax = footprint.width() / 2;
        boolean[] out = new boolean[mask.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean result = erode;
                for (int i = 0; i < footprint.height() && result == erode; i++) {
                    int sy = y + i - ay;
                    if (sy < 0 || sy >= height) {
                        continue;
                    }
                    for (int j = 0; j < footprint.width(); j++) {
                        int sx = x + j - ax;
                        if (sx >= 0 && sx < width && footprint.cells()[i * footprint.width() + j]
                                && mask[sy * width + sx] != erode) {
                            result = !erode;
                            break;
                        }
                    }
                }
                out[y * width + x] = result;
            }
        }
        return out;
    }
}
