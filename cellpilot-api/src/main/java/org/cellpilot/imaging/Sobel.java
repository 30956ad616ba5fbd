package org.cellpilot.imaging;

/**
 * {@code cv2.Sobel(image, CV_64F, dx, dy, ksize)} for a first derivative along one axis: OpenCV's unnormalised
 * derivative kernel along that axis, its binomial smoothing kernel along the other, reflect-101 border.
 */
public final class Sobel {
    private Sobel() {}

    /** d/dx: {@code cv2.Sobel(image, CV_64F, 1, 0, ksize)}. */
    public static double[] derivativeX(float[] image, int height, int width, int ksize) {
        return SeparableFilter.correlate(widen(image), height, width, kernel(1, ksize), kernel(0, ksize));
    }

    /** d/dy: {@code cv2.Sobel(image, CV_64F, 0, 1, ksize)}. */
    public static double[] derivativeY(float[] image, int height, int width, int ksize) {
        return SeparableFilter.correlate(widen(image), height, width, kernel(0, ksize), kernel(1, ksize));
    }

    /**
     * One factor of {@code cv2.getDerivKernels(…, ksize, normalize=False)}: order 0 is the binomial row
     * C(ksize-1, k); order 1 is that of ksize-2 convolved with [-1, 0, 1] spread over the full width. A size of 1
     * means 3 for a derivative, as in OpenCV.
     */
    public static double[] kernel(int order, int ksize) {
        if (order < 0 || order > 1) {
            throw new IllegalArgumentException("only orders 0 and 1 are supported, got " + order);
        }
        if (ksize % 2 == 0 || ksize < 1 || ksize > 31) {
            throw new IllegalArgumentException("ksize must be odd and at most 31, got " + ksize);
        }
        int size = ksize == 1 && order > 0 ? 3 : ksize;
        long[] taps = new long[size + 1];
        taps[0] = 1;
        // OpenCV builds the kernel in place: (size - order - 1) smoothing passes [1, 1], then one
        // differencing pass [-1, 1] per order.
        for (int pass = 0; pass < size - order - 1; pass++) {
            for (int j = size - 1; j > 0; j--) {
                taps[j] += taps[j - 1];
            }
        }
        for (int pass = 0; pass < order; pass++) {
            for (int j = size - 1; j > 0; j--) {
                taps[j] = taps[j - 1] - taps[j];
            }
            taps[0] = -taps[0];
        }
        double[] kernel = new double[size];
        for (int i = 0; i < size; i++) {
            kernel[i] = taps[i];
        }
        return kernel;
    }

    private static double[] widen(float[] image) {
        double[] out = new double[image.length];
        for (int i = 0; i < image.length; i++) {
            out[i] = image[i];
        }
        return out;
    }
}
