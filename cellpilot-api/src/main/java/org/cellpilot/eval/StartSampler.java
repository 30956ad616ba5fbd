package org.cellpilot.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws the instances of an image and their initial prompts, as CellPilot's protocol does: a point uniformly from
 * the instance's interior, a box grown on each side by a uniform 0–10 px. One generator per image, seeded from the
 * run's seed and the image name, so an image's draws do not depend on which other images are in the folder.
 */
final class StartSampler {
    /** CellPilot's {@code bbox_shift}: each side of a box start grows by up to this many pixels. */
    static final int MAX_BOX_GROWTH = 10;

    private StartSampler() {
    }

    static Random random(long seed, String image) {
        return new Random(seed * 1_000_003L + image.hashCode());
    }

    /**
     * {@code count} instances drawn without replacement (all if fewer), in ascending id order, with their starts.
     * Instances one pixel wide or high are left out: their box could stay a line, which is no valid box.
     */
    static List<Target> targets(LabelMap labels, int count, Random random) {
        Map<Integer, int[]> boxes = labels.boxes();
        int[] ids = boxes.entrySet().stream().filter(e -> e.getValue()[2] > e.getValue()[0] && e.getValue()[3] > e.getValue()[1])
                .mapToInt(Map.Entry::getKey).toArray();
        for (int i = ids.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        int[] chosen = Arrays.copyOf(ids, Math.min(count, ids.length));
        Arrays.sort(chosen);
        List<Target> out = new ArrayList<>(chosen.length);
        for (int id : chosen) {
            boolean[] mask = labels.mask(id);
            out.add(new Target(id, point(mask, labels.width(), labels.height(), random),
                    box(boxes.get(id), labels.width(), labels.height(), random)));
        }
        return out;
    }

    /**
     * A uniformly drawn interior pixel {x, y}: one whose whole 3×3 neighbourhood lies in the instance (and in the
     * image); any instance pixel if none is interior.
     */
    static int[] point(boolean[] mask, int width, int height, Random random) {
        List<Integer> interior = new ArrayList<>();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                all.add(i);
                if (interior(mask, i % width, i / width, width, height)) {
                    interior.add(i);
                }
            }
        }
        List<Integer> from = interior.isEmpty() ? all : interior;
        int p = from.get(random.nextInt(from.size()));
        return new int[] {p % width, p / width};
    }

    private static boolean interior(boolean[] mask, int x, int y, int width, int height) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int nx = x + dx;
                int ny = y + dy;
                if (nx < 0 || ny < 0 || nx >= width || ny >= height || !mask[ny * width + nx]) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The tight box {@code b} {x0, y0, x1, y1} (inclusive: x1 is the largest column), each side grown independently
     * by a uniform integer 0–10 and clamped to the image.
     */
    static int[] box(int[] b, int width, int height, Random random) {
        return new int[] {
            Math.max(0, b[0] - random.nextInt(MAX_BOX_GROWTH + 1)),
            Math.max(0, b[1] - random.nextInt(MAX_BOX_GROWTH + 1)),
            Math.min(width - 1, b[2] + random.nextInt(MAX_BOX_GROWTH + 1)),
            Math.min(height - 1, b[3] + random.nextInt(MAX_BOX_GROWTH + 1))};
    }
}
