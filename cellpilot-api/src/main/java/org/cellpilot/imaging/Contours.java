package org.cellpilot.imaging;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code cv2.findContours(mask, RETR_TREE, CHAIN_APPROX_SIMPLE)} as OpenCV 4.6 computes it: Suzuki–Abe border
 * following on a zero-padded copy (8-connected foreground), the same start points, tracing order and pixel
 * marking, and the same output order, which matters because callers keep "contour [0]".
 */
public final class Contours {
    /** Neighbour directions in OpenCV's chain-code order: right, up-right, up, up-left, left, down-left, down, down-right. */
    private static final int[] DX = {1, 1, 0, -1, -1, -1, 0, 1};
    private static final int[] DY = {0, -1, -1, -1, 0, 1, 1, 1};

    private Contours() {}

    /**
     * One border. {@code points} are {@code [x, y]} pixel positions with only the end points of straight
     * (horizontal, vertical, diagonal) runs kept; {@code parent} indexes the enclosing border in the list
     * returned by {@link #find}, or is -1.
     */
    public record Contour(int[][] points, boolean hole, int parent) {}

    /**
     * All borders of the foreground, ordered as OpenCV lists them: a depth-first walk of the border tree in which
     * each border's children, and the top-level borders, come in reverse order of discovery. For a mask
     * holding a single 8-connected object, element 0 is therefore its outer border, starting at its first pixel
     * in raster order and running down its left side first.
     */
    public static List<Contour> find(boolean[] mask, int height, int width) {
        Grids.checkSize(mask.length, height, width);
        Tracer tracer = new Tracer(mask, height, width);
        tracer.scan();
        return tracer.inOpenCvOrder();
    }

    /** Scanner state; border ids in the marked image are discovery index + 2, so 0 and 1 stay pixel values. */
    private static final class Tracer {
        private final int step;
        private final int height;
        private final int width;
        private final int[] image;
        private final int[] deltas = new int[16];
        private final List<int[][]> points = new ArrayList<>();
        private final List<Boolean> holes = new ArrayList<>();
        private final List<Integer> parents = new ArrayList<>();

        Tracer(boolean[] mask, int height, int width) {
            this.height = height;
            this.width = width;
            this.step = width + 2;
            this.image = new int[(height + 2) * step];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    image[(y + 1) * step + x + 1] = mask[y * width + x] ? 1 : 0;
                }
            }
            for (int s = 0; s < 16; s++) {
                deltas[s] = DY[s & 7] * step + DX[s & 7];
            }
        }

        void scan() {
            for (int y = 1; y <= height; y++) {
                int lastBorder = 0;
                int prev = 0;
                for (int x = 1; x <= width; x++) {
                    int p = image[y * step + x];
                    boolean outer = prev == 0 && p == 1;
                    boolean hole = !outer && p == 0 && prev >= 1;
                    if (outer || hole) {
                        int origin = y * step + x - (hole ? 1 : 0);
                        parents.add(parentOf(lastBorder, hole));
                        holes.add(hole);
                        points.add(follow(origin, hole, points.size() + 2));
                        lastBorder = Math.abs(image[origin]);
                        prev = image[y * step + x];
                    } else {
                        prev = p;
                        if (p != 0 && p != 1) {
                            lastBorder = Math.abs(p);
                        }
                    }
                }
            }
        }

        /**
         * Suzuki–Abe: the last border met on this row encloses the new one unless both are of the same kind,
         * in which case they share a parent. The frame counts as a hole.
         */
        private int parentOf(int lastBorder, boolean hole) {
            if (lastBorder < 2) {
                return -1;
            }
            int candidate = lastBorder - 2;
            return holes.get(candidate) == hole ? parents.get(candidate) : candidate;
        }

        /** OpenCV's {@code icvFetchContourEx} with {@code CHAIN_APPROX_SIMPLE}. */
        private int[][] follow(int origin, boolean hole, int id) {
            List<int[]> chain = new ArrayList<>();
            int s = hole ? 0 : 4;
            int end = s;
            int first;
            do {
                s = (s - 1) & 7;
                first = origin + deltas[s];
            } while (image[first] == 0 && s != end);
            if (s == end) {
                image[origin] = -id;
                chain.add(point(origin));
                return chain.toArray(int[][]::new);
            }
            int current = origin;
            int previousDirection = s ^ 4;
            while (true) {
                end = s;
                int next = current;
                while (s < 15) {
                    next = current + deltas[++s];
                    if (image[next] != 0) {
                        break;
                    }
                }
                s &= 7;
                // The search passed the right-hand neighbour and found it empty: a right border pixel.
                if (Integer.compareUnsigned(s - 1, end) < 0) {
                    image[current] = -id;
                } else if (image[current] == 1) {
                    image[current] = id;
                }
                if (s != previousDirection) {
                    chain.add(point(current));
                    previousDirection = s;
                }
                if (next == origin && current == first) {
                    break;
                }
                current = next;
                s = (s + 4) & 7;
            }
            return chain.toArray(int[][]::new);
        }

        private int[] point(int index) {
            return new int[] {index % step - 1, index / step - 1};
        }

        List<Contour> inOpenCvOrder() {
            int n = points.size();
            List<List<Integer>> children = new ArrayList<>();
            for (int i = 0; i <= n; i++) {
                children.add(new ArrayList<>());
            }
            for (int i = n - 1; i >= 0; i--) {
                children.get(parents.get(i) + 1).add(i);
            }
            int[] order = new int[n];
            int[] position = new int[n];
            int[] count = {0};
            walk(-1, children, order, position, count);
            List<Contour> out = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                int i = order[k];
                int parent = parents.get(i);
                out.add(new Contour(points.get(i), holes.get(i), parent < 0 ? -1 : position[parent]));
            }
            return out;
        }

        private static void walk(int node, List<List<Integer>> children, int[] order, int[] position, int[] count) {
            for (int child : children.get(node + 1)) {
                position[child] = count[0];
                order[count[0]++] = child;
                walk(child, children, order, position, count);
            }
        }
    }
}
