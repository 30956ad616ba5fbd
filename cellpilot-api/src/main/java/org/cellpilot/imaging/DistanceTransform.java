package org.cellpilot.imaging;

/**
 * The exact Euclidean distance transform, {@code scipy.ndimage.distance_transform_edt} for a 2-D mask: each
 * foreground pixel gets its distance to the nearest background pixel, background pixels get 0. Computed with
 * Felzenszwalb and Huttenlocher's lower envelope of parabolas ("Distance Transforms of Sampled Functions",
 * 2012), one pass down the columns and one along the rows, so it is exact and linear in the pixel count.
 */
public final class DistanceTransform {
    /** Stands for "no background seen yet"; large enough to lose to any real squared distance, small enough to stay finite. */
    private static final double FAR = 1e20;

    private DistanceTransform() {}

    /**
     * Pixels outside the image do not count as background, as in scipy; a foreground with no background pixel
     * anywhere in the image is infinitely far from it.
     */
    public static double[] euclidean(boolean[] mask, int height, int width) {
        Grids.checkSize(mask.length, height, width);
        double[] squared = new double[mask.length];
        for (int i = 0; i < mask.length; i++) {
            squared[i] = mask[i] ? FAR : 0;
        }
        Envelope envelope = new Envelope(Math.max(height, width));
        for (int x = 0; x < width; x++) {
            envelope.transform(squared, x, width, height);
        }
        for (int y = 0; y < height; y++) {
            envelope.transform(squared, y * width, 1, width);
        }
        double[] distance = new double[mask.length];
        for (int i = 0; i < mask.length; i++) {
            distance[i] = squared[i] >= FAR / 2 ? Double.POSITIVE_INFINITY : Math.sqrt(squared[i]);
        }
        return distance;
    }

    /** Work arrays for the 1-D transform, reused across the lines of one image. */
    private static final class Envelope {
        private final double[] line;
        private final int[] vertices;
        private final double[] bounds;

        Envelope(int length) {
            line = new double[length];
            vertices = new int[length];
            bounds = new double[length + 1];
        }

        /**
         * Replaces the {@code n} values {@code f[start + i·step]} by {@code min_j (i − j)² + f[j]}: the lower envelope
         * of the parabolas rooted at each sample, built left to right, then read off at every position.
         */
        void transform(double[] f, int start, int step, int n) {
            for (int i = 0; i < n; i++) {
                line[i] = f[start + i * step];
            }
            int k = 0;
            vertices[0] = 0;
            bounds[0] = Double.NEGATIVE_INFINITY;
            bounds[1] = Double.POSITIVE_INFINITY;
            for (int q = 1; q < n; q++) {
                double s = intersection(q, vertices[k]);
                while (s <= bounds[k]) {
                    k--;
                    s = intersection(q, vertices[k]);
                }
                k++;
                vertices[k] = q;
                bounds[k] = s;
                bounds[k + 1] = Double.POSITIVE_INFINITY;
            }
            k = 0;
            for (int q = 0; q < n; q++) {
                while (bounds[k + 1] < q) {
                    k++;
                }
                int v = vertices[k];
                f[start + q * step] = (double) (q - v) * (q - v) + line[v];
            }
        }

        /** Where the parabola rooted at {@code q} overtakes the one rooted at {@code v < q}. */
        private double intersection(int q, int v) {
            return ((line[q] + (double) q * q) - (line[v] + (double) v * v)) / (2.0 * (q - v));
        }
    }
}
