package org.cellpilot.sam;

/**
 * The source taps of ATen's bilinear resize (align_corners=False) along one axis, computed in float as ATen
 * does for float tensors. Lets a window of a resized image be computed without resizing the whole image.
 */
final class BilinearAxis {
    final int[] low;
    final int[] high;
    final float[] lowWeight;
    final float[] highWeight;

    BilinearAxis(int in, int out) {
        low = new int[out];
        high = new int[out];
        lowWeight = new float[out];
        highWeight = new float[out];
        float scale = (float) in / out;
        for (int i = 0; i < out; i++) {
            float source = Math.max(scale * (i + 0.5f) - 0.5f, 0f);
            int i0 = (int) source;
            float lambda = source - i0;
            low[i] = i0;
            high[i] = i0 + (i0 < in - 1 ? 1 : 0);
            lowWeight[i] = 1f - lambda;
            highWeight[i] = lambda;
        }
    }

    /** The first source index any output in [from, to) reads. */
    int firstSource(int from) {
        return low[from];
    }

    /** One past the last source index any output in [from, to) reads. */
    int endSource(int to) {
        return high[to - 1] + 1;
    }

    /**
     * Resizes a window: {@code src} holds source rows [srcY0, srcY0 + srcH) and columns [srcX0, srcX0 + srcW);
     * the result holds output rows [y0, y1) and columns [x0, x1).
     */
    static float[] resize(float[] src, int srcY0, int srcX0, int srcW, BilinearAxis ys, BilinearAxis xs, int y0, int y1, int x0, int x1) {
        int w = x1 - x0;
        float[] out = new float[(y1 - y0) * w];
        for (int y = y0; y < y1; y++) {
            int r0 = (ys.low[y] - srcY0) * srcW;
            int r1 = (ys.high[y] - srcY0) * srcW;
            float wy0 = ys.lowWeight[y];
            float wy1 = ys.highWeight[y];
            for (int x = x0; x < x1; x++) {
                int c0 = xs.low[x] - srcX0;
                int c1 = xs.high[x] - srcX0;
                float wx0 = xs.lowWeight[x];
                float wx1 = xs.highWeight[x];
                out[(y - y0) * w + (x - x0)] = wy0 * (wx0 * src[r0 + c0] + wx1 * src[r0 + c1])
                        + wy1 * (wx0 * src[r1 + c0] + wx1 * src[r1 + c1]);
            }
        }
        return out;
    }
}
