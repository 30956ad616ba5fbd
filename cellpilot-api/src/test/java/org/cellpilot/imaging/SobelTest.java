package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class SobelTest {
    /** The ksize-21 factors that CellViT's reference lists from {@code cv2.getDerivKernels(1, 0, 21)}. */
    @Test
    void size21KernelsAreOpenCvs() {
        assertArrayEquals(new double[] {-1, -18, -152, -798, -2907, -7752, -15504, -23256, -25194, -16796, 0,
            16796, 25194, 23256, 15504, 7752, 2907, 798, 152, 18, 1}, Sobel.kernel(1, 21));
        assertArrayEquals(new double[] {1, 20, 190, 1140, 4845, 15504, 38760, 77520, 125970, 167960, 184756,
            167960, 125970, 77520, 38760, 15504, 4845, 1140, 190, 20, 1}, Sobel.kernel(0, 21));
    }

    @Test
    void smallKernelsAreTheClassicOnes() {
        assertArrayEquals(new double[] {-1, 0, 1}, Sobel.kernel(1, 3));
        assertArrayEquals(new double[] {1, 2, 1}, Sobel.kernel(0, 3));
        assertArrayEquals(new double[] {-1, 0, 1}, Sobel.kernel(1, 1));
        assertArrayEquals(new double[] {1}, Sobel.kernel(0, 1));
        assertArrayEquals(new double[] {-1, -2, 0, 2, 1}, Sobel.kernel(1, 5));
    }

    /**
     * On the ramp f(x, y) = x the 3×3 Sobel is (1+2+1)·(f(x+1) − f(x−1)) = 8 inside; reflect-101 mirrors
     * f(−1) = f(1) and f(W) = f(W−2), so the first and last columns see no slope.
     */
    @Test
    void rampGivesEightInsideAndZeroAtReflectedBorders() {
        float[] ramp = new float[3 * 5];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i % 5;
        }
        double[] row = {0, 8, 8, 8, 0};
        double[] expected = new double[15];
        for (int y = 0; y < 3; y++) {
            System.arraycopy(row, 0, expected, y * 5, 5);
        }
        assertArrayEquals(expected, Sobel.derivativeX(ramp, 3, 5, 3));
        assertArrayEquals(new double[15], Sobel.derivativeY(ramp, 3, 5, 3));
    }

    @Test
    void derivativeYFollowsRows() {
        float[] ramp = new float[5 * 2];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i / 2;
        }
        assertArrayEquals(new double[] {0, 0, 8, 8, 8, 8, 8, 8, 0, 0}, Sobel.derivativeY(ramp, 5, 2, 3));
    }

    /**
     * Read off {@code cv2.Sobel(x, CV_64F, 0, 1, ksize=31)} (OpenCV 4.6, x86-64 with AVX2): the column pass adds the
     * mirrored rows, then accumulates with fused multiply-adds. Separate multiply and add give ...2a4p41 in the
     * second column of the middle row.
     */
    @Test
    void columnPassRoundsLikeOpenCv() {
        float[] x = {0x1.78dc7cp-1f, 0x1.98543ep-2f, 0x1.03ad6ep-1f, 0x1.d46b7cp-3f, 0x1.4ce64p-1f, 0x1.f14c2cp-1f};
        assertArrayEquals(new double[] {0, 0, 0x1.f257a2p+41, 0x1.f257a2000004dp+41, 0, 0}, Sobel.derivativeY(x, 3, 2, 31));
    }
}
