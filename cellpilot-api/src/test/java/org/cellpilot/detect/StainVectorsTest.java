package org.cellpilot.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cellpilot.RgbImage;
import org.junit.jupiter.api.Test;

class StainVectorsTest {
    @Test
    void presetsAreUnitVectorsWithTheRuifrokJohnstonComplement() {
        // H: (0.65, 0.70, 0.29) / √0.9966; E: (0.07, 0.99, 0.11) / √0.9971. Complement per channel √(1 − h² − e²):
        // R √0.571144 = 0.755740, G 1 − 0.491672 − 0.982951 < 0 → 0, B √0.903478 = 0.950514; over their norm 1.214340.
        assertArrayEquals(new double[] {0.651108, 0.701193, 0.290494}, StainVectors.H_E.vector(0), 1e-6);
        assertArrayEquals(new double[] {0.070102, 0.991439, 0.110160}, StainVectors.H_E.vector(1), 1e-6);
        assertArrayEquals(new double[] {0.622347, 0, 0.782741}, StainVectors.H_E.vector(2), 1e-6);
        // H-DAB: 1 − h² − d² per channel is 0.505560, 0.179082, 0.315358, which already sum to 1.
        assertArrayEquals(new double[] {0.711028, 0.423181, 0.561568}, StainVectors.H_DAB.vector(2), 1e-6);
    }

    @Test
    void stainsAreNamedAsOnTheCommandLine() {
        assertSame(StainVectors.H_E, StainVectors.named("HE"));
        assertSame(StainVectors.H_DAB, StainVectors.named("hdab"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StainVectors.named("pas"));
        assertTrue(e.getMessage().contains("'pas'") && e.getMessage().contains("he or hdab"), e.getMessage());
    }

    @Test
    void whiteHoldsNoStain() {
        assertArrayEquals(new double[] {0, 0, 0}, StainVectors.H_E.concentrations(255, 255, 255), 1e-12);
    }

    @Test
    void mixedPixelUnmixesIntoItsStainAmounts() {
        // Beer–Lambert forward by hand: OD = 0.5·H + 0.2·E, pixel = 256·10^−OD − 1, rounded to 8 bits.
        double[] h = StainVectors.H_E.vector(0);
        double[] e = StainVectors.H_E.vector(1);
        int[] rgb = new int[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = (int) Math.round(256 * Math.pow(10, -(0.5 * h[c] + 0.2 * e[c])) - 1);
        }
        // Rounding moves each OD by at most 0.434 / (2·(I + 1)) ≈ 0.004 here.
        assertArrayEquals(new double[] {0.5, 0.2, 0}, StainVectors.H_E.concentrations(rgb[0], rgb[1], rgb[2]), 0.02);
    }

    @Test
    void hematoxylinChannelIsTheFirstAmountOfEveryPixel() {
        byte[] pixels = {(byte) 70, (byte) 60, (byte) 150, (byte) 255, (byte) 255, (byte) 255};
        double[] amounts = StainVectors.H_DAB.hematoxylin(RgbImage.of(pixels, 2, 1, 3));
        assertArrayEquals(new double[] {StainVectors.H_DAB.concentrations(70, 60, 150)[0], 0}, amounts, 1e-12);
    }

    @Test
    void linearlyDependentStainsAreRefused() {
        double[] h = {0.65, 0.70, 0.29};
        assertThrows(IllegalArgumentException.class, () -> StainVectors.of("twice", h, h));
        assertThrows(IllegalArgumentException.class, () -> StainVectors.of("zero", h, new double[] {0, 0, 0}));
    }
}
