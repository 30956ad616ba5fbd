package org.cellpilot.imaging;

/**
 * {@code skimage.segmentation.watershed(image, markers, mask=mask)} with skimage 0.19's defaults (edge
 * connectivity, no compactness, no watershed line), reproduced step for step because ties decide boundaries:
 * a priority flood over a zero-padded grid ordered by (value, age), where markers enter in raster order with
 * age 0, each neighbour is labelled when it is pushed, and the heap is skimage's own binary heap.
 */
public final class Watershed {
    private Watershed() {}

    /**
     * Floods {@code markers} (positive labels, 0 elsewhere) over {@code image} inside {@code mask}. Markers outside
     * the mask are ignored; mask pixels no marker reaches stay 0.
     */
    public static int[] flood(double[] image, int[] markers, boolean[] mask, int height, int width) {
        Grids.checkSize(image.length, height, width);
        Grids.checkSize(markers.length, height, width);
        Grids.checkSize(mask.length, height, width);
        int paddedWidth = width + 2;
        int size = (height + 2) * paddedWidth;
        double[] values = new double[size];
        boolean[] inside = new boolean[size];
        int[] labels = new int[size];
        PriorityHeap heap = new PriorityHeap();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = (y + 1) * paddedWidth + x + 1;
                int source = y * width + x;
                values[p] = image[source];
                inside[p] = mask[source];
                labels[p] = mask[source] ? markers[source] : 0;
            }
        }
        for (int p = 0; p < size; p++) {
            if (labels[p] != 0) {
                heap.push(values[p], 0, p);
            }
        }
        int[] neighbours = {-paddedWidth, -1, 1, paddedWidth};
        long age = 1;
        while (!heap.isEmpty()) {
            int p = heap.pop();
            for (int offset : neighbours) {
                int q = p + offset;
                if (!inside[q] || labels[q] != 0) {
                    continue;
                }
                age++;
                labels[q] = labels[p];
                heap.push(values[q], age, q);
            }
        }
        int[] out = new int[height * width];
        for (int y = 0; y < height; y++) {
            System.arraycopy(labels, (y + 1) * paddedWidth + 1, out, y * width, width);
        }
        return out;
    }

    /** skimage's {@code heap_general.pxi}: strict comparisons in both sifts, the last item moved to the root on pop. */
    private static final class PriorityHeap {
        private double[] values = new double[64];
        private long[] ages = new long[64];
        private int[] indices = new int[64];
        private int items;

        boolean isEmpty() {
            return items == 0;
        }

        void push(double value, long age, int index) {
            if (items == values.length) {
                values = java.util.Arrays.copyOf(values, 2 * items);
                ages = java.util.Arrays.copyOf(ages, 2 * items);
                indices = java.util.Arrays.copyOf(indices, 2 * items);
            }
            int child = items++;
            values[child] = value;
            ages[child] = age;
            indices[child] = index;
            while (child > 0) {
                int parent = (child + 1) / 2 - 1;
                if (!smaller(child, parent)) {
                    break;
                }
                swap(child, parent);
                child = parent;
            }
        }

        int pop() {
            int top = indices[0];
            items--;
            if (items == 0) {
                return top;
            }
            swap(0, items);
            int i = 0;
            while (true) {
                int smallest = i;
                int left = 2 * i + 1;
                int right = left + 1;
                if (left >= items) {
                    break;
                }
                if (smaller(left, i)) {
                    smallest = left;
                }
                if (right < items && smaller(right, smallest)) {
                    smallest = right;
                }
                if (smallest == i) {
                    break;
                }
                swap(i, smallest);
                i = smallest;
            }
            return top;
        }

        private boolean smaller(int a, int b) {
            return values[a] != values[b] ? values[a] < values[b] : ages[a] < ages[b];
        }

        private void swap(int a, int b) {
            double v = values[a];
            values[a] = values[b];
            values[b] = v;
            long g = ages[a];
            ages[a] = ages[b];
            ages[b] = g;
            int k = indices[a];
            indices[a] = indices[b];
            indices[b] = k;
        }
    }
}
