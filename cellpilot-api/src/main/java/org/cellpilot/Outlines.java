package org.cellpilot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cellpilot.imaging.Connectivity;
import org.cellpilot.imaging.Labeling;

/**
 * Between a mask's pixels and its {@link Polygon}s, both ways, so that {@code fill(trace(r))} is {@code r}.
 *
 * <p>{@link #trace} follows the edges of the pixel squares, as QuPath's own tracing does, so a polygon's area is
 * its pixel count. Each 4-connected part is traced on its own, with every other pixel as background, which makes
 * parts that touch only at a corner separate polygons. Within a part, where two of its pixels touch diagonally
 * and the other two pixels of that 2×2 block are background, the rings take the turn that keeps the part's
 * interior connected through the corner. Then no ring passes a corner twice (a ring would otherwise pinch there,
 * which OGC forbids); instead a hole meets the shell, or another hole, at that one corner, which OGC allows.
 */
final class Outlines {
    /** Directions along pixel edges, in image coordinates; a turn to the right (seen with y up) is {@code d - 1}. */
    private static final int EAST = 0;
    private static final int SOUTH = 1;
    private static final int WEST = 2;
    private static final int NORTH = 3;
    private static final int[] DX = {1, 0, -1, 0};
    private static final int[] DY = {0, 1, 0, -1};

    private Outlines() {}

    /**
     * One polygon per 4-connected part, in the raster order of the parts' first pixels. Rings start at their
     * raster-first corner; the exterior is counter-clockwise and holes are clockwise in the coordinates as written.
     */
    static List<Polygon> trace(MaskRaster raster) {
        if (raster.isEmpty()) {
            return List.of();
        }
        int[] b = raster.bounds();
        Parts parts = new Parts(Labeling.label(raster.toArray(), b[3] - b[1], b[2] - b[0], Connectivity.FOUR), b[2] - b[0], b[3] - b[1]);
        int count = 0;
        for (int label : parts.labels) {
            count = Math.max(count, label);
        }
        int[][] exteriors = new int[count][];
        List<List<int[]>> holes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            holes.add(new ArrayList<>());
        }
        boolean[] used = new boolean[4 * (parts.width + 1) * (parts.height + 1)];
        for (int y = 0; y <= parts.height; y++) {
            for (int x = 0; x <= parts.width; x++) {
                for (int d = 0; d < 4; d++) {
                    int label = parts.edgeLabel(x, y, d);
                    if (label != 0 && !used[4 * (y * (parts.width + 1) + x) + d]) {
                        // A part's raster-first edge is the top of its first pixel: that ring is its exterior.
                        int[] ring = parts.ring(x, y, d, label, used, b[0], b[1]);
                        if (exteriors[label - 1] == null) {
                            exteriors[label - 1] = ring;
                        } else {
                            holes.get(label - 1).add(ring);
                        }
                    }
                }
            }
        }
        List<Polygon> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Polygon(exteriors[i], holes.get(i)));
        }
        return List.copyOf(out);
    }

    /** The 4-connected parts of a mask's bounding box, and the directed pixel edges around each. */
    private static final class Parts {
        final int[] labels;
        final int width;
        final int height;

        Parts(int[] labels, int width, int height) {
            this.labels = labels;
            this.width = width;
            this.height = height;
        }

        /** The part of pixel (x, y) of the box, 0 for background and outside the box. */
        int label(int x, int y) {
            return x < 0 || y < 0 || x >= width || y >= height ? 0 : labels[y * width + x];
        }

        /**
         * The part whose boundary leaves corner (x, y) in direction d, or 0 if none does. Edges are directed with
         * their part on the left as seen with y up (the pixel "ahead left" in image terms), background on the
         * right, which makes outer rings counter-clockwise and hole rings clockwise.
         */
        int edgeLabel(int x, int y, int d) {
            int left;
            int right;
            switch (d) {
                case EAST -> {
                    left = label(x, y);
                    right = label(x, y - 1);
                }
                case SOUTH -> {
                    left = label(x - 1, y);
                    right = label(x, y);
                }
                case WEST -> {
                    left = label(x - 1, y - 1);
                    right = label(x - 1, y);
                }
                default -> {
                    left = label(x, y - 1);
                    right = label(x - 1, y - 1);
                }
            }
            return left != right ? left : 0;
        }

        /**
         * Follows the boundary of part {@code label} from corner (x, y), direction d, until it closes, marking the
         * edges it takes. At each corner it turns right if it can, else goes straight, else turns left: only at a
         * diagonal pinch are there two ways on, and turning right keeps the part's interior connected there.
         * Returns the corners where the direction changes, so collinear points are dropped.
         */
        int[] ring(int x, int y, int d, int label, boolean[] used, int offsetX, int offsetY) {
            int[] corners = new int[16];
            int n = 0;
            int startX = x;
            int startY = y;
            int startD = d;
            int previous = -1;
            do {
                used[4 * (y * (width + 1) + x) + d] = true;
                if (d != previous) {
                    if (n + 2 > corners.length) {
                        corners = Arrays.copyOf(corners, corners.length * 2);
                    }
                    corners[n++] = x + offsetX;
                    corners[n++] = y + offsetY;
                }
                previous = d;
                x += DX[d];
                y += DY[d];
                d = next(x, y, d, label);
            } while (x != startX || y != startY || d != startD);
            if (previous == startD) {
                // The ring came back along the straight line it started on: the start is not a corner.
                n -= 2;
                System.arraycopy(corners, 2, corners, 0, n);
            }
            return Arrays.copyOf(corners, n);
        }

        private int next(int x, int y, int d, int label) {
            for (int turn : new int[] {3, 0, 1}) {
                int candidate = (d + turn) % 4;
                if (edgeLabel(x, y, candidate) == label) {
                    return candidate;
                }
            }
            throw new IllegalStateException("pixel boundary of part " + label + " breaks off at corner (" + x + ", " + y + ")");
        }
    }

    /**
     * The pixels whose centre (x + ½, y + ½) lies inside the polygons, by the even–odd rule over each polygon's
     * rings, united over the polygons. For the pixel-edge rings of {@link #trace} no centre lies on an edge; for
     * other rings (drawn in QuPath, say) a centre exactly on an edge counts as lying just right of it.
     */
    static MaskRaster fill(List<Polygon> polygons) {
        if (polygons.isEmpty()) {
            return MaskRaster.of(0, 0, 0, 0, (x, y) -> false);
        }
        int[] canvas = null;
        for (Polygon p : polygons) {
            int[] box = bounds(p.exterior());
            canvas = canvas == null ? box
                    : new int[] {Math.min(canvas[0], box[0]), Math.min(canvas[1], box[1]), Math.max(canvas[2], box[2]), Math.max(canvas[3], box[3])};
        }
        int w = canvas[2] - canvas[0];
        int h = canvas[3] - canvas[1];
        long size = (long) w * h;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("polygons span " + w + "x" + h + " pixels, too large to fill");
        }
        boolean[] set = new boolean[(int) size];
        boolean[] flips = new boolean[w + 1];
        for (Polygon p : polygons) {
            List<int[]> rings = new ArrayList<>(p.holes());
            rings.add(0, p.exterior());
            for (int r = 0; r < h; r++) {
                Arrays.fill(flips, false);
                for (int[] ring : rings) {
                    flipCrossings(ring, canvas[1] + r, canvas[0], flips);
                }
                boolean inside = false;
                for (int k = w - 1; k >= 0; k--) {
                    inside ^= flips[k + 1];
                    set[r * w + k] |= inside;
                }
            }
        }
        int[] c = canvas;
        return MaskRaster.of(c[0], c[1], w, h, (x, y) -> set[(y - c[1]) * w + x - c[0]]);
    }

    /**
     * For each edge of {@code ring} that crosses the line through the centres of row y, flips {@code flips[k]},
     * where k - 1 (relative to x0) is the last pixel whose centre lies left of the crossing: a ray to the right from
     * each such centre meets the edge.
     */
    private static void flipCrossings(int[] ring, int y, int x0, boolean[] flips) {
        int n = ring.length / 2;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            long ax = ring[2 * i];
            long ay = ring[2 * i + 1];
            long bx = ring[2 * j];
            long by = ring[2 * j + 1];
            // Vertices are integers, the centre line is at y + 1/2: an edge never just touches it.
            if ((ay <= y) == (by <= y)) {
                continue;
            }
            // The crossing is at x = num / den; centre x' + 1/2 lies left of it when x' < (2 num - den) / (2 den).
            long den = 2 * (by - ay);
            long num = 2 * ax * (by - ay) + (2 * y + 1 - 2 * ay) * (bx - ax);
            if (den < 0) {
                num = -num;
                den = -den;
            }
            long limit = -Math.floorDiv(-(2 * num - den), 2 * den);
            int k = (int) Math.max(0, Math.min(flips.length - 1, limit - x0));
            flips[k] = !flips[k];
        }
    }

    /** {x0, y0, x1, y1} of the pixels a ring can enclose: its vertices' bounding box. */
    private static int[] bounds(int[] ring) {
        int[] b = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE};
        for (int i = 0; i < ring.length; i += 2) {
            b[0] = Math.min(b[0], ring[i]);
            b[1] = Math.min(b[1], ring[i + 1]);
            b[2] = Math.max(b[2], ring[i]);
            b[3] = Math.max(b[3], ring[i + 1]);
        }
        return b;
    }
}
