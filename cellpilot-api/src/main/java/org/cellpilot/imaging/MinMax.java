package org.cellpilot.imaging;

/**
 * {@code cv2.normalize(x, None, 0, 1, NORM_MINMAX, CV_32F)} to the last bit. OpenCV rounds the scale and the
 * shift to float and applies them with one fused multiply-add per pixel (in float for float input, in double for
 * double input), so its minimum can land a hair below 0; the textbook {@code (x - min) / (max - min)} differs in
 * the last place, enough to move a value across a later threshold or reorder a watershed tie. A constant input
 * maps to zeros.
 */
public final class MinMax {
    private MinMax() {}

    public static float[] normalize(float[] values) {
        double[] range = range(values.length, i -> values[i]);
        float scale = scale(range);
        float shift = shift(range, scale);
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.fma(values[i], scale, shift);
        }
        return out;
    }

    public static float[] normalize(double[] values) {
        double[] range = range(values.length, i -> values[i]);
        float scale = scale(range);
        float shift = shift(range, scale);
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) Math.fma(values[i], scale, shift);
        }
        return out;
    }

    private static double[] range(int n, java.util.function.IntToDoubleFunction value) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = value.applyAsDouble(i);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new double[] {min, max};
    }

    private static float scale(double[] range) {
        double span = range[1] - range[0];
        return (float) (span > Math.ulp(1.0) ? 1.0 / span : 0.0);
    }

    private static float shift(double[] range, float scale) {
        return 0f - (float) (range[0] * scale);
    }
}
