package org.cellpilot.imaging;

/**
 * Whole-image separable correlation in double precision with {@code BORDER_REFLECT_101}, bit-compatible with
 * OpenCV's {@code sepFilter2D} for double buffers as its x86-64 (AVX2) build runs it: a row pass accumulating tap
 * by tap, then a column pass that, for a symmetric (antisymmetric) kernel, first adds (subtracts) the two mirrored
 * rows and then accumulates one fused multiply-add per tap pair. The pairing and the fusing both change the last
 * bits of large-kernel results such as Sobel 21. This is the one place a tensor convolution can replace later.
 */
public final class SeparableFilter {
    private SeparableFilter() {}

    /**
     * Correlates {@code image} with {@code kernelX} along rows, then {@code kernelY} along columns. Both kernels
     * have odd length and are anchored at their centre; {@code kernelY} is symmetric or antisymmetric, as every
     * Sobel and Gaussian factor is.
     */
    public static double[] correlate(double[] image, int height, int width, double[] kernelX, double[] kernelY) {
        Grids.checkSize(image.length, height, width);
        return columns(rows(image, height, width, kernelX), height, width, kernelY);
    }

    private static double[] rows(double[] image, int height, int width, double[] kernel) {
        int radius = radius(kernel);
        int[] source = borderIndices(width, radius);
        double[] out = new double[image.length];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                double sum = kernel[0] * image[row + source[x]];
                for (int k = 1; k < kernel.length; k++) {
                    sum = Math.fma(kernel[k], image[row + source[x + k]], sum);
                }
                out[row + x] = sum;
            }
        }
        return out;
    }

    private static double[] columns(double[] image, int height, int width, double[] kernel) {
        int radius = radius(kernel);
        int[] source = borderIndices(height, radius);
        double mirror = mirrorSign(kernel);
        double[] out = new double[image.length];
        for (int y = 0; y < height; y++) {
            int centre = y + radius;
            for (int x = 0; x < width; x++) {
                double sum = mirror > 0 ? kernel[radius] * image[source[centre] * width + x] : 0.0;
                for (int k = 1; k <= radius; k++) {
                    double pair = image[source[centre + k] * width + x] + mirror * image[source[centre - k] * width + x];
                    sum = Math.fma(kernel[radius + k], pair, sum);
                }
                out[y * width + x] = sum;
            }
        }
        return out;
    }

    /** +1 for a symmetric column kernel, -1 for an antisymmetric one (centre 0); others are not supported. */
    private static double mirrorSign(double[] kernel) {
        boolean symmetric = true;
        boolean antisymmetric = true;
        for (int i = 0, j = kernel.length - 1; i <= j; i++, j--) {
            symmetric &= kernel[i] == kernel[j];
            antisymmetric &= kernel[i] == -kernel[j];
        }
        if (!symmetric && !antisymmetric) {
            throw new IllegalArgumentException("the column kernel must be symmetric or antisymmetric");
        }
        return symmetric ? 1.0 : -1.0;
    }

    private static int radius(double[] kernel) {
        if (kernel.length % 2 == 0) {
            throw new IllegalArgumentException("kernel length must be odd, got " + kernel.length);
        }
        return kernel.length / 2;
    }

    /** Source index for each padded position {@code -radius … length+radius-1}, shifted by {@code radius}. */
    private static int[] borderIndices(int length, int radius) {
        int[] indices = new int[length + 2 * radius];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = reflect101(i - radius, length);
        }
        return indices;
    }

    /** OpenCV's {@code borderInterpolate(p, len, BORDER_REFLECT_101)}, folding repeatedly for short axes. */
    private static int reflect101(int p, int length) {
        if (length == 1) {
            return 0;
        }
        while (p < 0 || p >= length) {
            p = p < 0 ? -p : 2 * length - 2 - p;
        }
        return p;
    }
}
