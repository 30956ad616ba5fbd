package org.cellpilot.cellvit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** CellViT-256 against the reference outputs on the reduced model in ../shared/golden/cellvit_tiny/model. */
class CellVitParityTest {
    private static final Logger LOG = LoggerFactory.getLogger(CellVitParityTest.class);
    private static final Path GOLDEN = Golden.dir("cellvit_tiny/model");
    private static final Path CHECKPOINT = GOLDEN.resolve("weights.pth");

    @Test
    void matchesReferenceOutputs() {
        long live = Tensor.liveCount();
        assertMatchesReference(Device.cpu());
        assertEquals(live, Tensor.liveCount());
    }

    /** The golden case with the model on {@code device}, given its input on the CPU. */
    static void assertMatchesReference(Device device) {
        StateDict golden = StateDict.load(GOLDEN.resolve("golden.safetensors"));
        try (CellVit model = CellVit.load(CHECKPOINT, numHeads(), device); Scope scope = Scope.open();
                Tensor image = golden.get("image")) {
            Tensor input = CellVit.normalize(Ops.unsqueeze(image, 0));
            assertWithin(golden, "input", input, 1e-6);
            CellVitOutput out = model.forward(input);
            assertEquals(device, out.hvMap().device(), "the maps stay on the model's device until read");
            assertMatches(golden, "tissue_types", out.tissueTypes());
            assertMatches(golden, "nuclei_binary_map", out.nucleiBinaryMap());
            assertMatches(golden, "hv_map", out.hvMap());
            assertMatches(golden, "nuclei_type_map", out.nucleiTypeMap());
        }
    }

    /** The position embedding is resampled per axis, so a 96×128 tile gives 96×128 maps (the golden one is square). */
    @Test
    void acceptsNonSquareTiles() {
        long live = Tensor.liveCount();
        try (CellVit model = CellVit.load(CHECKPOINT, numHeads()); Scope scope = Scope.open()) {
            CellVitOutput out = model.forward(Tensor.zeros(DType.FLOAT32, Device.cpu(), 2, 3, 96, 128));
            assertArrayEquals(new long[] {2, 19}, out.tissueTypes().shape());
            assertArrayEquals(new long[] {2, 2, 96, 128}, out.hvMap().shape());
            assertArrayEquals(new long[] {2, 6, 96, 128}, out.nucleiTypeMap().shape());
        }
        assertEquals(live, Tensor.liveCount());
    }

    static int numHeads() {
        return Golden.config(Golden.cases("cellvit_tiny/model"), "num_heads");
    }

    /** The golden data's tolerance: {@code max|a − g| ≤ 1e-4 + 1e-3·max|g|}. */
    private static void assertMatches(StateDict golden, String name, Tensor actual) {
        float largest = 0;
        for (float v : expected(golden, name)) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertWithin(golden, name, actual, 1e-4 + 1e-3 * largest);
    }

    private static void assertWithin(StateDict golden, String name, Tensor actual, double tolerance) {
        assertArrayEquals(golden.shape(name), actual.shape(), name + " shape");
        float[] g = expected(golden, name);
        float[] a = actual.toFloatArray();
        double worst = 0;
        for (int i = 0; i < g.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - g[i]));
        }
        LOG.info("{}: max |a - g| = {} (tolerance {})", name, worst, tolerance);
        assertTrue(worst <= tolerance, name + ": max |a - g| = " + worst + " exceeds " + tolerance);
    }

    private static float[] expected(StateDict golden, String name) {
        try (Tensor g = golden.get(name)) {
            return g.toFloatArray();
        }
    }
}
