package org.cellpilot.detect;

import java.util.Arrays;
import java.util.Locale;
import org.cellpilot.RgbImage;

/**
 * Colour deconvolution after Ruifrok and Johnston ("Quantification of histochemical staining by color
 * deconvolution", Anal. Quant. Cytol. Histol. 23, 2001). By Beer–Lambert, a pixel's optical density per channel,
 * OD = log10(I₀ / I), is a sum of stain amounts times each stain's OD colour; with three stain colours as rows of a
 * matrix M, the amounts are OD · M⁻¹. The first stain is always hematoxylin; the third, when not given, is the
 * Ruifrok–Johnston complement of the first two, which takes up whatever absorption they do not explain.
 * Immutable.
 */
public final class StainVectors {
    /** Hematoxylin and eosin, Ruifrok–Johnston's measured vectors (skimage {@code rgb_from_hed}'s first two rows). */
    public static final StainVectors H_E = of("H&E", new double[] {0.65, 0.70, 0.29}, new double[] {0.07, 0.99, 0.11});
    /** Hematoxylin and DAB (immunohistochemistry), as in skimage's {@code rgb_from_hdx}. */
    public static final StainVectors H_DAB = of("H-DAB", new double[] {0.650, 0.704, 0.286}, new double[] {0.268, 0.570, 0.776});

    /** OD of each 8-bit level, log10(256 / (v + 1)): white (255) absorbs nothing and black stays finite (≈ 2.41). */
    private static final double[] OPTICAL_DENSITY = new double[256];

    static {
        for (int v = 0; v < 256; v++) {
            OPTICAL_DENSITY[v] = Math.log10(256.0 / (v + 1));
        }
    }

    private final String name;
    private final double[][] stainColours;
    private final double[][] unmixing;

    private StainVectors(String name, double[][] stainColours) {
        this.name = name;
        this.stainColours = stainColours;
        this.unmixing = invert(stainColours);
    }

    /**
     * Hematoxylin and one other stain, each an RGB optical-density colour (any positive scale; normalised here),
     * with the third vector completed as Ruifrok and Johnston do: per channel √(1 − h² − s²), or 0 where that is
     * negative, then normalised.
     */
    public static StainVectors of(String name, double[] hematoxylin, double[] second) {
        double[] h = unit(hematoxylin);
        double[] s = unit(second);
        double[] third = new double[3];
        for (int c = 0; c < 3; c++) {
            third[c] = Math.sqrt(Math.max(0, 1 - h[c] * h[c] - s[c] * s[c]));
        }
        return new StainVectors(name, new double[][] {h, s, unit(third)});
    }

    /** The stains a command line names: {@code he} ({@link #H_E}) or {@code hdab} ({@link #H_DAB}), in any case. */
    public static StainVectors named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "he":
                return H_E;
            case "hdab":
                return H_DAB;
            default:
                throw new IllegalArgumentException("unknown stain '" + name + "': use he or hdab");
        }
    }

    /** Three measured stain colours, hematoxylin first. */
    public static StainVectors of(String name, double[] hematoxylin, double[] second, double[] third) {
        return new StainVectors(name, new double[][] {unit(hematoxylin), unit(second), unit(third)});
    }

    /** The unit OD colour of stain 0 (hematoxylin), 1 or 2. */
    public double[] vector(int stain) {
        return stainColours[stain].clone();
    }

    /** The three stain amounts (in OD units) of an 8-bit RGB pixel; white gives zeros. */
    public double[] concentrations(int r, int g, int b) {
        double[] amounts = new double[3];
        for (int stain = 0; stain < 3; stain++) {
            amounts[stain] = amount(stain, r, g, b);
        }
        return amounts;
    }

    /** The hematoxylin amount of every pixel, row-major. */
    public double[] hematoxylin(RgbImage image) {
        byte[] rgb = image.toBytes();
        double[] out = new double[image.width() * image.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = amount(0, rgb[3 * i] & 0xff, rgb[3 * i + 1] & 0xff, rgb[3 * i + 2] & 0xff);
        }
        return out;
    }

    private double amount(int stain, int r, int g, int b) {
        return OPTICAL_DENSITY[r] * unmixing[0][stain] + OPTICAL_DENSITY[g] * unmixing[1][stain]
                + OPTICAL_DENSITY[b] * unmixing[2][stain];
    }

    private static double[] unit(double[] v) {
        if (v.length != 3) {
            throw new IllegalArgumentException("a stain vector has 3 components (R, G, B optical density), got " + v.length);
        }
        double norm = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("stain vector " + Arrays.toString(v) + " has no direction");
        }
        return new double[] {v[0] / norm, v[1] / norm, v[2] / norm};
    }

    /** Inverse of the 3×3 matrix by cofactors; refuses stains whose colours are (nearly) linearly dependent. */
    private static double[][] invert(double[][] m) {
        double[][] cofactors = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int i1 = (i + 1) % 3;
                int i2 = (i + 2) % 3;
                int j1 = (j + 1) % 3;
                int j2 = (j + 2) % 3;
                cofactors[i][j] = m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1];
            }
        }
        double determinant = m[0][0] * cofactors[0][0] + m[0][1] * cofactors[0][1] + m[0][2] * cofactors[0][2];
        if (Math.abs(determinant) < 1e-6) {
            throw new IllegalArgumentException("stain vectors " + Arrays.deepToString(m) + " are linearly dependent");
        }
        double[][] inverse = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                inverse[i][j] = cofactors[j][i] / determinant;
            }
        }
        return inverse;
    }

    @Override
    public String toString() {
        return name + " " + Arrays.deepToString(stainColours);
    }
}
