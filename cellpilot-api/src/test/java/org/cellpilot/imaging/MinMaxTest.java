package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class MinMaxTest {
    @Test
    void mapsTheRangeOntoZeroToOne() {
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 0.25f}, MinMax.normalize(new float[] {2f, 4f, 6f, 3f}));
        assertArrayEquals(new float[] {0f, 0.5f, 1f}, MinMax.normalize(new double[] {-1.0, 0.0, 1.0}));
    }

    @Test
    void aConstantInputBecomesZeros() {
        assertArrayEquals(new float[] {0f, 0f, 0f}, MinMax.normalize(new float[] {7f, 7f, 7f}));
    }

    /**
     * Values read off {@code cv2.normalize(x, None, 0, 1, NORM_MINMAX, dtype=CV_32F)} in OpenCV 4.6: its rounded
     * scale and shift leave the minimum slightly below zero, where {@code (x - min) / (max - min)} gives exactly 0.
     */
    @Test
    void reproducesOpenCvRoundingForFloatInput() {
        float[] x = {0x1.e5b6dcp+6f, 0x1.6b6db6p+6f, 0x1.24p+6f, 0x1.336db6p+5f};
        assertArrayEquals(new float[] {1f, 0x1.436a2ep-1f, 0x1.aa851p-2f, -0x1.edef4p-27f}, MinMax.normalize(x));
    }

    @Test
    void reproducesOpenCvRoundingForDoubleInput() {
        double[] x = {0x1.7bbdb6db6db6ep+13, 0x1.1c5b6db6db6dbp+13, 0x1.c85db6db6db6ep+12};
        assertArrayEquals(new float[] {1f, 0x1.7b8a26p-2f, -0x1.242db6p-25f}, MinMax.normalize(x));
    }
}
