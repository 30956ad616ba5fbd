package org.cellpilot.imaging;

/**
 * {@code cv2.GaussianBlur(image, (k, k), 0)} on a double image for the sizes where OpenCV derives sigma from the
 * size and uses its fixed kernel table (odd k up to 7), with the reflect-101 border.
 */
public final class GaussianBlur {
    private static final double[][] FIXED_KERNELS = {
        {1.0},
        {0.25, 0.5, 0.25},
        {0.0625, 0.25, 0.375, 0.25, 0.0625},
        {0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125},
    };

    private GaussianBlur() {}

    public static double[] apply(double[] image, int height, int width, int ksize) {
        double[] kernel = kernel(ksize);
        return SeparableFilter.correlate(image, height, width, kernel, kernel);
    }

    /** {@code cv2.getGaussianKernel(ksize, 0)} for odd {@code ksize} ≤ 7. */
    public static double[] kernel(int ksize) {
        if (ksize % 2 == 0 || ksize < 1 || ksize > 7) {
            throw new IllegalArgumentException("only odd kernel sizes up to 7 are supported, got " + ksize);
        }
        return FIXED_KERNELS[ksize / 2].clone();
    }
}
