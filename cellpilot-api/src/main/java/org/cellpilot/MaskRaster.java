package org.cellpilot;

import java.util.Arrays;

/**
 * A binary mask stored compactly: the pixels of its bounding box as run lengths, row by row, alternating
 * background and foreground and starting with background. A cell of 30×30 pixels costs a few dozen ints,
 * never a full-image array.
 */
public final class MaskRaster {
    private final int x0;
    private final int y0;
    private final int width;
    private final int height;
    private final int[] runs;
    private final long area;

    private MaskRaster(int x0, int y0, int width, int height, int[] runs, long area) {
        this.x0 = x0;
        this.y0 = y0;
        this.width = width;
        this.height = height;
        this.runs = runs;
        this.area = area;
    }

    /** The same pixels moved by (dx, dy): the runs are relative to the origin, so only the origin changes. */
    public MaskRaster translate(int dx, int dy) {
        return new MaskRaster(x0 + dx, y0 + dy, width, height, runs, area);
    }

    /** Pixel source for {@link #of}: whether (x, y) of the window is set. */
    public interface Pixels {
        boolean get(int x, int y);
    }

    /** Encodes the window [x0, x0+width) × [y0, y0+height), then shrinks it to the set pixels' bounding box. */
    public static MaskRaster of(int x0, int y0, int width, int height, Pixels pixels) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (pixels.get(x0 + x, y0 + y)) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            return new MaskRaster(x0, y0, 0, 0, new int[0], 0);
        }
        int w = maxX - minX + 1;
        int h = maxY - minY + 1;
        int[] runs = new int[16];
        int n = 0;
        boolean current = false;
        int length = 0;
        long area = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean v = pixels.get(x0 + minX + x, y0 + minY + y);
                if (v != current) {
                    if (n == runs.length) {
                        runs = Arrays.copyOf(runs, n * 2);
                    }
                    runs[n++] = length;
                    current = v;
                    length = 0;
                }
                length++;
                area += v ? 1 : 0;
            }
        }
        if (n == runs.length) {
            runs = Arrays.copyOf(runs, n + 1);
        }
        runs[n++] = length;
        return new MaskRaster(x0 + minX, y0 + minY, w, h, Arrays.copyOf(runs, n), area);
    }

    public boolean isEmpty() {
        return area == 0;
    }

    /** Number of set pixels. */
    public long area() {
        return area;
    }

    /** Bounding box of the set pixels, {x0, y0, x1, y1} with x1, y1 exclusive. */
    public int[] bounds() {
        return new int[] {x0, y0, x0 + width, y0 + height};
    }

    /** True if (x, y), in image pixels, is set. */
    public boolean contains(int x, int y) {
        if (x < x0 || y < y0 || x >= x0 + width || y >= y0 + height) {
            return false;
        }
        long target = (long) (y - y0) * width + (x - x0);
        long position = 0;
        for (int i = 0; i < runs.length; i++) {
            position += runs[i];
            if (target < position) {
                return (i & 1) == 1;
            }
        }
        return false;
    }

    /**
     * The centre of mass {cx, cy} of the set pixels, each pixel (x, y) counted at its centre (x + 0.5, y + 0.5); NaN
     * for an empty mask. Tiled runs decide which tile owns a cell by it (see {@code TilePlan}).
     */
    public double[] centroid() {
        double sx = 0;
        double sy = 0;
        int p = 0;
        for (int i = 0; i < runs.length; i++) {
            if ((i & 1) == 1) {
                for (int k = p; k < p + runs[i]; k++) {
                    sx += k % width;
                    sy += k / width;
                }
            }
            p += runs[i];
        }
        return new double[] {x0 + sx / area + 0.5, y0 + sy / area + 0.5};
    }

    /** The bounding box's pixels, row by row (width × height of {@link #bounds}). */
    public boolean[] toArray() {
        boolean[] out = new boolean[width * height];
        int p = 0;
        for (int i = 0; i < runs.length; i++) {
            if ((i & 1) == 1) {
                Arrays.fill(out, p, p + runs[i], true);
            }
            p += runs[i];
        }
        return out;
    }

    /** The run lengths over the bounding box, starting with background. */
    public int[] runs() {
        return runs.clone();
    }
}
