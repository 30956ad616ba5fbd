package org.cellpilot.imaging;

/**
 * {@code skimage.morphology.remove_small_objects} on a label map (CellViT's copy of it behaves the same):
 * every label covering fewer than {@code minSize} pixels becomes background. Labels are not renumbered,
 * so callers that care about ids keep the gaps, as the reference does.
 */
public final class SmallObjects {
    private SmallObjects() {}

    /** Zeroes, in place, every label of {@code labels} whose pixel count is strictly below {@code minSize}. */
    public static void remove(int[] labels, int minSize) {
        int[] sizes = new int[Labeling.count(labels) + 1];
        for (int l : labels) {
            sizes[l]++;
        }
        for (int i = 0; i < labels.length; i++) {
            if (sizes[labels[i]] < minSize) {
                labels[i] = 0;
            }
        }
    }

    /** The foreground of {@code mask} without its 4-connected objects of fewer than {@code minSize} pixels. */
    public static boolean[] remove(boolean[] mask, int height, int width, int minSize) {
        int[] objects = Labeling.label(mask, height, width, Connectivity.FOUR);
        remove(objects, minSize);
        boolean[] kept = new boolean[objects.length];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = objects[i] != 0;
        }
        return kept;
    }
}
