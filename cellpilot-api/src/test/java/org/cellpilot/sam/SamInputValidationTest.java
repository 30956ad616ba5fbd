package org.cellpilot.sam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every kind of bad prompt or image gets an IllegalArgumentException that names the bad value. */
class SamInputValidationTest {
    private static SamModel model;
    private static SamPredictor predictor;

    @BeforeAll
    static void load() {
        model = SamModel.load(Golden.dir("sam_tiny").resolve("weights.safetensors"), 2);
        byte[] rgb = new byte[40 * 30 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 7);
        }
        predictor = model.predictor(rgb, 40, 30);
    }

    @AfterAll
    static void free() {
        predictor.close();
        model.close();
    }

    private static void rejects(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should mention '" + expected + "'");
    }

    private static void predict(SamPrompt p) {
        predictor.predict(p, false).close();
    }

    @Test
    void pointsOutsideTheImage() {
        rejects("point 0 (41.0, 3.0)", () -> predict(new SamPrompt(new double[][] {{41, 3}}, new int[] {1}, null, null)));
        rejects("point 0 (-0.5, 3.0)", () -> predict(new SamPrompt(new double[][] {{-0.5, 3}}, new int[] {1}, null, null)));
        rejects("point 1 (3.0, 30.5)", () -> predict(new SamPrompt(new double[][] {{1, 1}, {3, 30.5}}, new int[] {1, 0}, null, null)));
    }

    @Test
    void theUpperBoundIsInclusive() {
        predict(new SamPrompt(new double[][] {{40, 30}}, new int[] {1}, new double[] {0, 0, 40, 30}, null));
    }

    @Test
    void nonFiniteCoordinates() {
        rejects("finite", () -> new SamPrompt(new double[][] {{Double.NaN, 3}}, new int[] {1}, null, null));
        rejects("finite", () -> new SamPrompt(new double[][] {{3, Double.POSITIVE_INFINITY}}, new int[] {1}, null, null));
        rejects("finite", () -> SamPrompt.box(0, 0, Double.NaN, 5));
    }

    @Test
    void labelsOtherThanZeroOrOne() {
        rejects("label of point 0 is 2", () -> new SamPrompt(new double[][] {{3, 3}}, new int[] {2}, null, null));
        rejects("label of point 0 is -1", () -> new SamPrompt(new double[][] {{3, 3}}, new int[] {-1}, null, null));
        rejects("2 points but 1 labels", () -> new SamPrompt(new double[][] {{3, 3}, {4, 4}}, new int[] {1}, null, null));
    }

    @Test
    void invertedOrEmptyBoxes() {
        rejects("x1 > x0", () -> SamPrompt.box(10, 0, 5, 5));
        rejects("x1 > x0", () -> SamPrompt.box(0, 0, 5, 0));
        rejects("x1 > x0", () -> SamPrompt.box(3, 3, 3, 3));
        rejects("box corner (x1, y1) (50.0, 5.0)", () -> predict(SamPrompt.box(0, 0, 50, 5)));
    }

    @Test
    void noPromptAtAll() {
        rejects("at least one point, a box or a mask", () -> new SamPrompt(null, null, null, null));
    }

    @Test
    void maskInputOfTheWrongSize() {
        try (Scope s = Scope.open()) {
            Tensor wrong = Tensor.of(new float[32 * 32], 1, 32, 32);
            rejects("mask_input must be 64x64", () -> predict(new SamPrompt(null, null, null, wrong)));
        }
    }

    @Test
    void aMaskAloneIsAValidRefinement() {
        try (Scope s = Scope.open();
             SamPredictor.Prediction p = predictor.predict(new SamPrompt(null, null, null, Tensor.of(new float[64 * 64], 1, 64, 64)), false)) {
            assertArrayEquals(new long[] {1, 30, 40}, p.masks.shape());
        }
    }

    @Test
    void emptyAndMalformedImages() {
        rejects("empty image", () -> model.predictor(new byte[0], 0, 5));
        rejects("empty image", () -> model.predictor(new byte[0], 5, 0));
        rejects("expected 300 RGB bytes", () -> model.predictor(new byte[10], 10, 10));
    }

    @Test
    void extremeAspectRatiosWork() {
        for (int[] size : new int[][] {{1, 4000}, {4000, 1}}) {
            int w = size[0];
            int h = size[1];
            try (SamPredictor p = model.predictor(new byte[w * h * 3], w, h);
                 SamPredictor.Prediction out = p.predict(new SamPrompt(new double[][] {{w / 2.0, h / 2.0}}, new int[] {1}, null, null), true)) {
                assertArrayEquals(new long[] {3, h, w}, out.masks.shape());
            }
        }
    }

    @Test
    void batchesMustShareTheirForm() {
        rejects("same number of points", () -> predictor.predictBatch(List.of(SamPrompt.box(0, 0, 5, 5),
                new SamPrompt(new double[][] {{1, 1}}, new int[] {1}, null, null)), false));
    }

    @Test
    void aClosedModelRefusesWork() {
        SamModel closed = SamModel.load(Golden.dir("sam_tiny").resolve("weights.safetensors"), 2);
        SamPredictor p = closed.predictor(new byte[8 * 8 * 3], 8, 8);
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.predict(SamPrompt.box(0, 0, 4, 4), false));
        assertTrue(e.getMessage().contains("close"), e.getMessage());
        p.close();
    }
}
