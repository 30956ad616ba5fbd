package org.cellpilot.imaging;

import java.nio.ByteBuffer;

/**
 * Pillow's 8-bit bilinear resize ({@code Image.resize(size, BILINEAR)}), bit for bit: a horizontal pass (only
 * if the width changes) stored as 8-bit, then a vertical pass (only if the height changes), each with
 * triangle-filter weights widened by the downscale factor (antialiasing) and applied in 22-bit fixed point.
 * SAM's predictor resizes through Pillow, so matching it exactly makes our input tensor equal the reference.
 */
public final class PilResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResize() {
    }

    /** Resizes interleaved 8-bit pixels ({@code channels} per pixel, rows top to bottom). */
    public static byte[] resize(byte[] pixels, int width, int height, int channels, int newWidth, int newHeight) {
        return resize(ByteBuffer.wrap(pixels), width, height, channels, newWidth, newHeight);
    }

    /** The same, reading the pixels in place from a buffer (its position on), so a large direct image is not copied. */
    public static byte[] resize(ByteBuffer pixels, int width, int height, int channels, int newWidth, int newHeight) {
        if (width <= 0 || height <= 0 || newWidth <= 0 || newHeight <= 0) {
            throw new IllegalArgumentException("resize needs positive sizes, got " + width + "x" + height + " -> " + newWidth
                    + "x" + newHeight);
        }
        if (pixels.remaining() != (long) width * height * channels) {
            throw new IllegalArgumentException("expected " + (long) width * height * channels + " bytes for " + width + "x"
                    + height + "x" + channels + ", got " + pixels.remaining());
        }
        ByteBuffer in = pixels.slice();
        if (newWidth == width && newHeight == height) {
            byte[] copy = new byte[in.remaining()];
            in.get(copy);
            return copy;
        }
        int w = width;
        if (newWidth != width) {
            in = ByteBuffer.wrap(pass(in, w, height, channels, newWidth, true));
            w = newWidth;
        }
        return newHeight != height ? pass(in, w, height, channels, newHeight, false) : in.array();
    }

    /** One separable pass along x ({@code horizontal}) or y. */
    private static byte[] pass(ByteBuffer in, int width, int height, int channels, int outSize, boolean horizontal) {
        int inSize = horizontal ? width : height;
        Coefficients c = new Coefficients(inSize, outSize);
        int outWidth = horizontal ? outSize : width;
        int outHeight = horizontal ? height : outSize;
        byte[] out = new byte[outWidth * outHeight * channels];
        int half = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int o = horizontal ? x : y;
                int first = c.first[o];
                int count = c.count[o];
                for (int ch = 0; ch < channels; ch++) {
                    int sum = half;
                    for (int k = 0; k < count; k++) {
                        int src = first + k;
                        int index = horizontal ? (y * width + src) * channels + ch : (src * width + x) * channels + ch;
                        sum += (in.get(index) & 0xff) * c.weights[o * c.stride + k];
                    }
                    out[(y * outWidth + x) * channels + ch] = clip8(sum);
                }
            }
        }
        return out;
    }

    private static byte clip8(int value) {
        int v = value >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Per output index: the input span and its fixed-point weights, as Pillow's precompute_coeffs. */
    private static final class Coefficients {
        final int[] first;
        final int[] count;
        final int[] weights;
        final int stride;

        Coefficients(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;
            stride = (int) Math.ceil(support) * 2 + 1;
            first = new int[outSize];
            count = new int[outSize];
            weights = new int[outSize * stride];
            double inverse = 1.0 / filterScale;
            double[] w = new double[stride];
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double total = 0;
                for (int x = 0; x < xmax; x++) {
                    double t = Math.abs((x + xmin - center + 0.5) * inverse);
                    w[x] = t < 1.0 ? 1.0 - t : 0.0;
                    total += w[x];
                }
                for (int x = 0; x < xmax; x++) {
                    double normalised = total != 0.0 ? w[x] / total : w[x];
                    weights[i * stride + x] = (int) (normalised < 0 ? -0.5 + normalised * (1 << PRECISION_BITS)
                            : 0.5 + normalised * (1 << PRECISION_BITS));
                }
                first[i] = xmin;
                count[i] = xmax;
            }
        }
    }
}
