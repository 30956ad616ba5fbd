package org.cellpilot.imaging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Watershed markers: the maxima of an image inside a mask that stand out by at least a given height (their
 * dynamic, as {@code skimage.morphology.h_maxima} measures it) and lie at least a given distance from a higher
 * kept maximum of the same component. Every connected component of the mask keeps its highest pixel, so a
 * watershed seeded here leaves no component without a marker.
 */
public final class Peaks {
    private Peaks() {}

    /**
     * Finds the peaks of {@code image} over the pixels of {@code mask}.
     *
     * <p>The dynamic of a maximum is how far one must descend from it before reaching a higher one (or, on a
     * tie, an earlier one in raster order); a component's highest pixel has infinite dynamic. It is computed by
     * flooding the mask from the top: pixels join the components of their already-flooded neighbours in
     * decreasing value, and where two components meet, the lower peak's dynamic is its height above the meeting
     * level. A plateau, whatever its shape, is one maximum, represented by its first pixel in raster order.
     *
     * @param minDynamic keep maxima whose dynamic is at least this (0 keeps every regional maximum)
     * @param minDistance drop a maximum closer than this (Euclidean, in pixels) to a higher kept one of its component
     * @return pixel indices of the peaks, ascending
     */
    public static int[] find(double[] image, boolean[] mask, int height, int width, Connectivity connectivity,
                             double minDynamic, double minDistance) {
        Grids.checkSize(image.length, height, width);
        Grids.checkSize(mask.length, height, width);
        int[] order = floodOrder(image, mask);
        int[] rank = new int[mask.length];
        for (int i = 0; i < order.length; i++) {
            rank[order[i]] = i;
        }
        int[] parent = new int[mask.length];
        Arrays.fill(parent, -1);
        int[] peak = new int[mask.length];
        List<Integer> candidates = new ArrayList<>();
        for (int p : order) {
            int y = p / width;
            int x = p % width;
            int root = -1;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int ny = y + dy;
                    int nx = x + dx;
                    if ((dx == 0 && dy == 0) || (connectivity == Connectivity.FOUR && dx != 0 && dy != 0)
                            || ny < 0 || ny >= height || nx < 0 || nx >= width || parent[ny * width + nx] < 0) {
                        continue;
                    }
                    int other = find(parent, ny * width + nx);
                    if (root < 0) {
                        root = other;
                    } else if (other != root) {
                        boolean otherHigher = rank[peak[other]] < rank[peak[root]];
                        int lower = otherHigher ? root : other;
                        double dynamic = image[peak[lower]] - image[p];
                        // Zero dynamic is no maximum: two arms of one plateau meeting at their own level.
                        if (dynamic > 0 && dynamic >= minDynamic) {
                            candidates.add(peak[lower]);
                        }
                        root = otherHigher ? other : root;
                        parent[lower] = root;
                    }
                }
            }
            if (root < 0) {
                parent[p] = p;
                peak[p] = p;
            } else {
                parent[p] = root;
            }
        }
        for (int p : order) {
            if (parent[p] == p) {
                candidates.add(p);
            }
        }
        return separate(candidates, rank, parent, width, minDistance);
    }

    /**
     * Mask pixels by decreasing value, ties in raster order, so equal inputs always give the same peaks: a counting
     * sort over the ranks of the distinct values, which a distance map has few of, avoiding boxed comparisons.
     */
    private static int[] floodOrder(double[] image, boolean[] mask) {
        int count = 0;
        for (boolean m : mask) {
            count += m ? 1 : 0;
        }
        double[] distinct = new double[count];
        int n = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                distinct[n++] = image[i];
            }
        }
        Arrays.sort(distinct);
        int levels = 0;
        for (int i = 0; i < count; i++) {
            if (i == 0 || Double.compare(distinct[i], distinct[levels - 1]) != 0) {
                distinct[levels++] = distinct[i];
            }
        }
        int[] level = new int[mask.length];
        int[] start = new int[levels + 1];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                level[i] = levels - 1 - Arrays.binarySearch(distinct, 0, levels, image[i]);
                start[level[i] + 1]++;
            }
        }
        for (int l = 0; l < levels; l++) {
            start[l + 1] += start[l];
        }
        int[] order = new int[count];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                order[start[level[i]]++] = i;
            }
        }
        return order;
    }

    /** Greedy suppression, highest first: a candidate survives unless a kept peak of its component is too close. */
    private static int[] separate(List<Integer> candidates, int[] rank, int[] parent, int width, double minDistance) {
        candidates.sort(Comparator.comparingInt(p -> rank[p]));
        List<Integer> kept = new ArrayList<>();
        for (int p : candidates) {
            boolean isolated = true;
            for (int q : kept) {
                double d = Math.hypot(p % width - q % width, p / width - q / width);
                if (d < minDistance && find(parent, p) == find(parent, q)) {
                    isolated = false;
                    break;
                }
            }
            if (isolated) {
                kept.add(p);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static int find(int[] parent, int p) {
        while (parent[p] != p) {
            parent[p] = parent[parent[p]];
            p = parent[p];
        }
        return p;
    }
}
