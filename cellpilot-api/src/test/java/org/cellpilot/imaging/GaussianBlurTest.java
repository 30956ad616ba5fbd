package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GaussianBlurTest {
    @Test
    void anInteriorImpulseSpreadsAsTheOuterProductOfQuarterHalfQuarter() {
        double[] impulse = new double[25];
        impulse[12] = 16;
        assertArrayEquals(new double[] {
            0, 0, 0, 0, 0,
            0, 1, 2, 1, 0,
            0, 2, 4, 2, 0,
            0, 1, 2, 1, 0,
            0, 0, 0, 0, 0}, GaussianBlur.apply(impulse, 5, 5, 3));
    }

    /**
     * Reflect-101 mirrors pixel 1 into position −1, so a corner impulse keeps only the centre tap, 0.5 per axis
     * (plain reflection would also count the mirrored corner and give 0.75²).
     */
    @Test
    void aCornerImpulseSeesTheReflect101Border() {
        double[] impulse = new double[9];
        impulse[0] = 1;
        assertArrayEquals(new double[] {0.25, 0.125, 0, 0.125, 0.0625, 0, 0, 0, 0}, GaussianBlur.apply(impulse, 3, 3, 3));
    }

    @Test
    void sizesBeyondOpenCvsFixedTableAreRefused() {
        assertArrayEquals(new double[] {0.0625, 0.25, 0.375, 0.25, 0.0625}, GaussianBlur.kernel(5));
        assertThrows(IllegalArgumentException.class, () -> GaussianBlur.kernel(9));
    }
}
