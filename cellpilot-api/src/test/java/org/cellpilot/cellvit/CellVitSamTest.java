package org.cellpilot.cellvit;

import org.cellpilot.torch.testing.NoTensorLeaks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.cellpilot.nn.Weights;
import org.cellpilot.sam.ImageEncoder;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * CellViT-SAM on a seeded random checkpoint ({@link TinyCellVitSam}) written as CellViT saves it. No reference
 * outputs exist for this variant (no trained CellViT-SAM-B was published and the golden set has none), so these
 * tests check what can be known without them: shapes, determinism, batch independence, the reference's handling
 * of tiles smaller than the trained image, the tissue head's input, and input validation.
 */
@ExtendWith(NoTensorLeaks.class)
class CellVitSamTest {
    private static final long SEED = 11;

    @TempDir
    Path dir;

    @Test
    void runsOnSquareTilesUpToTheTrainedSizeDeterministicallyAndPerImage() {
        try (CellVit model = CellVit.load(TinyCellVitSam.write(dir.resolve("cellvit_sam.pth"), SEED))) {
            assertEquals(TinyCellVitSam.IMAGE, model.maxInputSide());
            for (int side : new int[] {TinyCellVitSam.IMAGE, 128, 16}) {
                try (Scope scope = Scope.open()) {
                    Tensor batch = randomInput(2, side, side);
                    CellVitOutput out = model.forward(batch);
                    assertArrayEquals(new long[] {2, TinyCellVitSam.TISSUES}, out.tissueTypes().shape());
                    assertArrayEquals(new long[] {2, 2, side, side}, out.nucleiBinaryMap().shape());
                    assertArrayEquals(new long[] {2, 2, side, side}, out.hvMap().shape());
                    assertArrayEquals(new long[] {2, TinyCellVitSam.TYPES, side, side}, out.nucleiTypeMap().shape());
                    for (float v : out.nucleiTypeMap().toFloatArray()) {
                        assertTrue(Float.isFinite(v), "non-finite output at side " + side);
                    }

                    CellVitOutput again = model.forward(batch);
                    assertArrayEquals(out.hvMap().toFloatArray(), again.hvMap().toFloatArray(), "same input, same output");

                    CellVitOutput second = model.forward(Ops.narrow(batch, 0, 1, 1));
                    Golden.assertClose("image 2 alone, side " + side, second.nucleiTypeMap(), Ops.narrow(out.nucleiTypeMap(), 0, 1, 1));
                    Golden.assertClose("image 2 alone, side " + side, second.tissueTypes(), Ops.narrow(out.tissueTypes(), 0, 1, 1));
                }
            }
        }
    }

    /**
     * The reference crops {@code pos_embed} to a smaller tile's grid and linearly resamples the global blocks'
     * relative-position tables to it. A checkpoint whose tables were cut and resampled beforehand (here, in plain
     * Java) for a 128 px model must therefore give the same maps on a 128 px tile as the 256 px model.
     */
    @Test
    void aSmallerTileSeesACroppedPositionEmbeddingAndResampledRelativePositions() {
        int side = 128;
        int grid = side / 16;
        Map<String, Tensor> full = TinyCellVitSam.stateDict(SEED, TinyCellVitSam.GLOBAL);
        Map<String, Tensor> shrunk = new LinkedHashMap<>();
        full.forEach((name, t) -> shrunk.put(name, Ops.clone(t)));
        try (Tensor pos = shrunk.remove("encoder.pos_embed"); Scope scope = Scope.open()) {
            Tensor cropped = Ops.contiguous(Ops.slice(Ops.slice(pos, 1, 0, grid), 2, 0, grid));
            shrunk.put("encoder.pos_embed", Scope.detach(scope.keep(cropped)));
        }
        for (int b : TinyCellVitSam.GLOBAL) {
            for (String axis : new String[] {"h", "w"}) {
                String key = "encoder.blocks." + b + ".attn.rel_pos_" + axis;
                try (Tensor table = shrunk.remove(key)) {
                    shrunk.put(key, Tensor.of(linearResize(table.toFloatArray(), (int) table.size(0), TinyCellVitSam.HEAD_DIM,
                            2 * grid - 1), 2 * grid - 1, TinyCellVitSam.HEAD_DIM));
                }
            }
        }
        try (CellVit large = CellVit.load(Weights.of(full, "tiny 256"), 2);
                CellVit small = CellVit.load(Weights.of(shrunk, "tiny 128"), 2);
                Scope scope = Scope.open()) {
            assertEquals(side, small.maxInputSide());
            Tensor input = randomInput(1, side, side);
            CellVitOutput a = large.forward(input);
            CellVitOutput b = small.forward(input);
            Golden.assertClose("tissue", a.tissueTypes(), b.tissueTypes());
            Golden.assertClose("binary map", a.nucleiBinaryMap(), b.nucleiBinaryMap());
            Golden.assertClose("hv map", a.hvMap(), b.hvMap());
            Golden.assertClose("type map", a.nucleiTypeMap(), b.nucleiTypeMap());
        }
    }

    /** CellViT-SAM classifies tissue from the spatial mean of SAM's neck output, through {@code classifier_head}. */
    @Test
    void tissueLogitsAreTheClassifierOnThePooledNeck() {
        Map<String, Tensor> sd = TinyCellVitSam.stateDict(SEED, TinyCellVitSam.GLOBAL);
        float[] weight = sd.get("classifier_head.weight").toFloatArray();
        float[] bias = sd.get("classifier_head.bias").toFloatArray();
        try (Weights w = Weights.of(sd, "tiny");
                ImageEncoder encoder = new ImageEncoder(w.at("encoder."));
                Scope scope = Scope.open()) {
            Tensor input = randomInput(1, TinyCellVitSam.IMAGE, TinyCellVitSam.IMAGE);
            float[] neck = encoder.forward(input).toFloatArray();
            int plane = neck.length / TinyCellVitSam.NECK;
            float[] expected = new float[TinyCellVitSam.TISSUES];
            for (int t = 0; t < expected.length; t++) {
                double sum = bias[t];
                for (int c = 0; c < TinyCellVitSam.NECK; c++) {
                    double mean = 0;
                    for (int i = 0; i < plane; i++) {
                        mean += neck[c * plane + i];
                    }
                    sum += weight[t * TinyCellVitSam.NECK + c] * mean / plane;
                }
                expected[t] = (float) sum;
            }
            try (CellVit model = CellVit.load(TinyCellVitSam.write(dir.resolve("m.pth"), SEED))) {
                Golden.assertClose("tissue logits", model.forward(input).tissueTypes(), Tensor.of(expected, 1, expected.length));
            }
        }
    }

    @Test
    void refusesInputsTheReferenceCannotTake() {
        try (CellVit model = CellVit.load(TinyCellVitSam.write(dir.resolve("m.pth"), SEED)); Scope scope = Scope.open()) {
            IllegalArgumentException nonSquare = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(randomInput(1, 128, 256)));
            assertTrue(nonSquare.getMessage().contains("[B, 3, S, S]"), nonSquare.getMessage());
            IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(randomInput(1, 272, 272)));
            assertTrue(tooLarge.getMessage().contains("up to 256"), tooLarge.getMessage());
        }
    }

    @Test
    void refusesAnEncoderWhoseGlobalBlocksCannotGiveFourSkips() {
        Map<String, Tensor> sd = TinyCellVitSam.stateDict(SEED, new int[] {3, 7});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellVit.load(Weights.of(sd, "two globals"), 2));
        assertTrue(e.getMessage().contains("has 2"), e.getMessage());
    }

    private static Tensor randomInput(int batch, int height, int width) {
        Random random = new Random(height * 31L + width);
        float[] v = new float[batch * 3 * height * width];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return Tensor.of(v, batch, 3, height, width);
    }

    /** {@code F.interpolate(mode="linear", align_corners=False)} of a {@code [length, dim]} table along its rows. */
    private static float[] linearResize(float[] table, int length, int dim, int target) {
        float[] out = new float[target * dim];
        double scale = (double) length / target;
        for (int i = 0; i < target; i++) {
            double source = Math.max(0, (i + 0.5) * scale - 0.5);
            int i0 = (int) source;
            int i1 = Math.min(i0 + 1, length - 1);
            double lambda = source - i0;
            for (int d = 0; d < dim; d++) {
                out[i * dim + d] = (float) ((1 - lambda) * table[i0 * dim + d] + lambda * table[i1 * dim + d]);
            }
        }
        return out;
    }
}
