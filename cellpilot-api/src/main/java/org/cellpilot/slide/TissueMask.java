package org.cellpilot.slide;

import org.cellpilot.imaging.Morphology;
import org.cellpilot.imaging.Otsu;
import org.cellpilot.imaging.StructuringElement;

/**
 * Where the tissue is, from a low-resolution image of the slide: Otsu's threshold on saturation (glass is grey or
 * white, stained tissue is coloured), kept between {@link #MIN_SATURATION} and {@link #MAX_SATURATION} so that an
 * all-glass or an all-tissue image is not split in two; pale unstained stroma, which is grey, counts as tissue when
 * it is darker than glass ({@link #GLASS}); then small holes are closed. A whole-slide run skips the tiles where the
 * mask is empty.
 */
public final class TissueMask {
    /** Saturation (0–255) below which a pixel is glass whatever Otsu says: JPEG noise on white reaches about 10. */
    static final int MIN_SATURATION = 15;
    /** Saturation above which a pixel is tissue whatever Otsu says: pale eosin is about 0.15 (38). */
    static final int MAX_SATURATION = 38;
    /** Glass transmits nearly all the light: a pixel whose brightest channel is below this is not glass. */
    static final int GLASS = 225;
    private static final StructuringElement CLOSING = StructuringElement.ellipse(5, 5);

    private final boolean[] tissue;
    private final int width;
    private final int height;
    private final double downsample;
    private final double fraction;

    private TissueMask(boolean[] tissue, int width, int height, double downsample) {
        this.tissue = tissue;
        this.width = width;
        this.height = height;
        this.downsample = downsample;
        int n = 0;
        for (boolean t : tissue) {
            n += t ? 1 : 0;
        }
        this.fraction = (double) n / tissue.length;
    }

    /**
     * The mask of a low-resolution RGB image of the slide ({@code width × height}, interleaved), whose pixels each
     * span {@code downsample} level-0 pixels.
     */
    public static TissueMask of(byte[] rgb, int width, int height, double downsample) {
        byte[] saturation = new byte[width * height];
        boolean[] dark = new boolean[width * height];
        for (int i = 0; i < saturation.length; i++) {
            int r = rgb[i * 3] & 0xff;
            int g = rgb[i * 3 + 1] & 0xff;
            int b = rgb[i * 3 + 2] & 0xff;
            int max = Math.max(r, Math.max(g, b));
            int min = Math.min(r, Math.min(g, b));
            saturation[i] = (byte) (max == 0 ? 0 : (max - min) * 255 / max);
            dark[i] = max < GLASS;
        }
        int t = Math.max(MIN_SATURATION, Math.min(MAX_SATURATION, Otsu.threshold(saturation)));
        boolean[] mask = new boolean[saturation.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = (saturation[i] & 0xff) > t || dark[i];
        }
        boolean[] closed = Morphology.erode(Morphology.dilate(mask, height, width, CLOSING), height, width, CLOSING);
        return new TissueMask(closed, width, height, downsample);
    }

    /** The share of the slide covered by tissue, 0 to 1. */
    public double fraction() {
        return fraction;
    }

    /** The share of the level-0 rectangle covered by tissue, 0 to 1. */
    public double fraction(long x, long y, long w, long h) {
        int[] b = cells(x, y, w, h);
        long tissuePixels = 0;
        for (int my = b[1]; my < b[3]; my++) {
            for (int mx = b[0]; mx < b[2]; mx++) {
                tissuePixels += tissue[my * width + mx] ? 1 : 0;
            }
        }
        long all = (long) (b[2] - b[0]) * (b[3] - b[1]);
        return all == 0 ? 0 : (double) tissuePixels / all;
    }

    /** The mask pixels {x0, y0, x1, y1} (exclusive ends) that a level-0 rectangle overlaps. */
    private int[] cells(long x, long y, long w, long h) {
        return new int[] {(int) Math.max(0, Math.floor(x / downsample)), (int) Math.max(0, Math.floor(y / downsample)),
                (int) Math.min(width, Math.ceil((x + w) / downsample)), (int) Math.min(height, Math.ceil((y + h) / downsample))};
    }

    /** True when any mask pixel overlapping the level-0 rectangle is tissue. */
    public boolean intersects(long x, long y, long w, long h) {
        int[] b = cells(x, y, w, h);
        for (int my = b[1]; my < b[3]; my++) {
            for (int mx = b[0]; mx < b[2]; mx++) {
                if (tissue[my * width + mx]) {
                    return true;
                }
            }
        }
        return false;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Level-0 pixels per mask pixel. */
    public double downsample() {
        return downsample;
    }
}
