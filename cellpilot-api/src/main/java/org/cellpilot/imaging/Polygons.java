package org.cellpilot.imaging;

import java.util.ArrayList;
import java.util.List;

/** Ramer–Douglas–Peucker simplification of pixel polygons and polylines. */
public final class Polygons {
    private Polygons() {}

    /**
     * Keeps the points of {@code points} ({@code [x, y]} each) needed so that no dropped point lies farther than
     * {@code epsilon} from the simplified line. A closed polygon is split at its first point and the point
     * farthest from it, and each half is simplified as a polyline, so both split points always survive.
     */
    public static int[][] simplify(int[][] points, double epsilon, boolean closed) {
        if (points.length < 3) {
            return points.clone();
        }
        boolean[] keep = new boolean[points.length];
        if (closed) {
            int far = 0;
            double farthest = -1;
            for (int i = 1; i < points.length; i++) {
                double d = Math.hypot(points[i][0] - points[0][0], points[i][1] - points[0][1]);
                if (d > farthest) {
                    farthest = d;
                    far = i;
                }
            }
            keep[0] = true;
            keep[far] = true;
            simplifyRun(points, 0, far, epsilon, keep);
            simplifyRun(points, far, points.length, epsilon, keep);
        } else {
            keep[0] = true;
            keep[points.length - 1] = true;
            simplifyRun(points, 0, points.length - 1, epsilon, keep);
        }
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            if (keep[i]) {
                out.add(points[i]);
            }
        }
        return out.toArray(int[][]::new);
    }

    /** Marks the points strictly between {@code from} and {@code to} (index {@code to} wraps to 0) that must stay. */
    private static void simplifyRun(int[][] points, int from, int to, double epsilon, boolean[] keep) {
        int[] a = points[from];
        int[] b = points[to % points.length];
        int worst = -1;
        double worstDistance = epsilon;
        for (int i = from + 1; i < to; i++) {
            double d = distanceToSegment(points[i], a, b);
            if (d > worstDistance) {
                worstDistance = d;
                worst = i;
            }
        }
        if (worst >= 0) {
            keep[worst] = true;
            simplifyRun(points, from, worst, epsilon, keep);
            simplifyRun(points, worst, to, epsilon, keep);
        }
    }

    private static double distanceToSegment(int[] p, int[] a, int[] b) {
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double length2 = dx * dx + dy * dy;
        if (length2 == 0) {
            return Math.hypot(p[0] - a[0], p[1] - a[1]);
        }
        double t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2));
        return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
    }
}
