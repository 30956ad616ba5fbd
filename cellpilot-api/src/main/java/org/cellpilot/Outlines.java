package org.cellpilot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cellpilot.imaging.Contours;

/**
 * Between a mask's pixels and its {@link Polygon}s, both ways, so that {@code fill(trace(r))} is {@code r}.
 *
 * <p>Why that holds: ring edges join 8-adjacent boundary-pixel centres, so they meet the lattice only at
 * foreground centres. Background connected (4-adjacently) to the outside therefore never touches the outer
 * ring and stays outside it, a hole's background lies strictly inside its hole ring, and the foreground is on
 * a ring or enclosed by the outer one. Objects inside a hole are polygons of their own. OutlinesTest checks the
 * claim on awkward shapes and thousands of random masks.
 */
final class Outlines {
    private static final byte OUTSIDE = 0;
    private static final byte INSIDE = 1;
    private static final byte ON = 2;

    private Outlines() {}

    /** One polygon per outer border that {@link Contours#find} reports, with the holes directly inside it. */
    static List<Polygon> trace(MaskRaster raster) {
        if (raster.isEmpty()) {
            return List.of();
        }
        int[] b = raster.bounds();
        List<Contours.Contour> contours = Contours.find(raster.toArray(), b[3] - b[1], b[2] - b[0]);
        List<List<int[]>> holesOf = new ArrayList<>(contours.size());
        for (int i = 0; i < contours.size(); i++) {
            holesOf.add(new ArrayList<>());
        }
        for (Contours.Contour c : contours) {
            if (c.hole()) {
                holesOf.get(c.parent()).add(ring(c, b[0], b[1]));
            }
        }
        List<Polygon> out = new ArrayList<>();
        for (int i = 0; i < contours.size(); i++) {
            if (!contours.get(i).hole()) {
                out.add(new Polygon(ring(contours.get(i), b[0], b[1]), holesOf.get(i)));
            }
        }
        return List.copyOf(out);
    }

    private static int[] ring(Contours.Contour c, int offsetX, int offsetY) {
        int[][] points = c.points();
        int[] ring = new int[points.length * 2];
        for (int i = 0; i < points.length; i++) {
            ring[2 * i] = points[i][0] + offsetX;
            ring[2 * i + 1] = points[i][1] + offsetY;
        }
        return ring;
    }

    /**
     * The pixels whose centre lies inside or on a polygon's outer ring and not strictly inside one of its hole
     * rings, over all polygons. Insideness is even-odd, the same as nonzero for rings that do not cross
     * themselves, which traced rings never do (they may touch).
     */
    static MaskRaster fill(List<Polygon> polygons) {
        if (polygons.isEmpty()) {
            return MaskRaster.of(0, 0, 0, 0, (x, y) -> false);
        }
        int[] canvas = null;
        List<int[]> exteriors = new ArrayList<>(polygons.size());
        for (Polygon p : polygons) {
            int[] ring = p.exterior();
            exteriors.add(ring);
            canvas = union(canvas, bounds(ring));
        }
        int cw = canvas[2] - canvas[0];
        boolean[] set = new boolean[checkedSize(canvas)];
        for (int i = 0; i < polygons.size(); i++) {
            int[] box = bounds(exteriors.get(i));
            byte[] outer = classify(exteriors.get(i), box);
            int w = box[2] - box[0];
            boolean[] own = new boolean[outer.length];
            for (int k = 0; k < outer.length; k++) {
                own[k] = outer[k] != OUTSIDE;
            }
            for (int[] hole : polygons.get(i).holes()) {
                clearStrictInterior(hole, box, own);
            }
            for (int k = 0; k < own.length; k++) {
                if (own[k]) {
                    set[(box[1] - canvas[1] + k / w) * cw + box[0] - canvas[0] + k % w] = true;
                }
            }
        }
        int[] c = canvas;
        return MaskRaster.of(c[0], c[1], cw, c[3] - c[1], (x, y) -> set[(y - c[1]) * cw + x - c[0]]);
    }

    /** Clears, in {@code own} (the pixels of {@code box}), those strictly inside {@code hole}. */
    private static void clearStrictInterior(int[] hole, int[] box, boolean[] own) {
        int[] hb = bounds(hole);
        byte[] inHole = classify(hole, hb);
        int hw = hb[2] - hb[0];
        int w = box[2] - box[0];
        for (int y = Math.max(hb[1], box[1]); y < Math.min(hb[3], box[3]); y++) {
            for (int x = Math.max(hb[0], box[0]); x < Math.min(hb[2], box[2]); x++) {
                if (inHole[(y - hb[1]) * hw + x - hb[0]] == INSIDE) {
                    own[(y - box[1]) * w + x - box[0]] = false;
                }
            }
        }
    }

    /**
     * OUTSIDE, INSIDE (strictly) or ON for the centre of each pixel of {@code box}. Row by row, a crossing of the
     * ring at x = c flips the parity of every pixel left of c (a ray to the right meets it); edges count with
     * half-open y ranges, so a vertex on the row is met once. Pixels on an edge are found exactly by walking the
     * lattice points of each edge.
     */
    private static byte[] classify(int[] ring, int[] box) {
        int x0 = box[0];
        int w = box[2] - box[0];
        int h = box[3] - box[1];
        int n = ring.length / 2;
        byte[] cls = new byte[checkedSize(box)];
        boolean[] flips = new boolean[w + 1];
        for (int r = 0; r < h; r++) {
            int y = box[1] + r;
            Arrays.fill(flips, false);
            for (int i = 0; i < n; i++) {
                int j = (i + 1) % n;
                int ax = ring[2 * i];
                int ay = ring[2 * i + 1];
                int bx = ring[2 * j];
                int by = ring[2 * j + 1];
                if ((ay > y) != (by > y)) {
                    long num = (long) ax * (by - ay) + (long) (y - ay) * (bx - ax);
                    long den = by - ay;
                    if (den < 0) {
                        num = -num;
                        den = -den;
                    }
                    // x < c exactly when x < ceil(c).
                    long ceil = -Math.floorDiv(-num, den);
                    int k = (int) Math.max(0, Math.min(w, ceil - x0));
                    flips[k] = !flips[k];
                }
            }
            boolean odd = false;
            for (int k = w - 1; k >= 0; k--) {
                odd ^= flips[k + 1];
                if (odd) {
                    cls[r * w + k] = INSIDE;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            int dx = ring[2 * j] - ring[2 * i];
            int dy = ring[2 * j + 1] - ring[2 * i + 1];
            int steps = gcd(Math.abs(dx), Math.abs(dy));
            int sx = steps == 0 ? 0 : dx / steps;
            int sy = steps == 0 ? 0 : dy / steps;
            for (int s = 0; s <= steps; s++) {
                // Edges lie within the ring's bounds, which is the box.
                cls[(ring[2 * i + 1] + s * sy - box[1]) * w + ring[2 * i] + s * sx - x0] = ON;
            }
        }
        return cls;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** {x0, y0, x1, y1} of the vertices' pixels, x1 and y1 exclusive. */
    private static int[] bounds(int[] ring) {
        int[] b = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE};
        for (int i = 0; i < ring.length; i += 2) {
            b[0] = Math.min(b[0], ring[i]);
            b[1] = Math.min(b[1], ring[i + 1]);
            b[2] = Math.max(b[2], ring[i] + 1);
            b[3] = Math.max(b[3], ring[i + 1] + 1);
        }
        return b;
    }

    private static int[] union(int[] a, int[] b) {
        return a == null ? b : new int[] {Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])};
    }

    private static int checkedSize(int[] box) {
        long size = ((long) box[2] - box[0]) * ((long) box[3] - box[1]);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("polygons span " + ((long) box[2] - box[0]) + "x" + ((long) box[3] - box[1])
                    + " pixels, too large to fill");
        }
        return (int) size;
    }
}
