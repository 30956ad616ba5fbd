package org.cellpilot.torch.checkpoint;

import org.cellpilot.torch.testing.NoTensorLeaks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Files that real torch 2.13 and safetensors 0.8 wrote (src/test/resources/checkpoints/make_fixtures.py). */
@ExtendWith(NoTensorLeaks.class)
class TorchFixturesTest {
    static Path fixture(String name) {
        try {
            return Path.of(TorchFixturesTest.class.getResource("/checkpoints/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[] floats(StateDict sd, String key) {
        try (Tensor t = sd.get(key); Tensor f = Ops.to(t, DType.FLOAT32)) {
            return f.toFloatArray();
        }
    }

    private static float[] range(int from, int to, int step) {
        float[] out = new float[(to - from + step - 1) / step];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i * step;
        }
        return out;
    }

    @Test
    void readsEverythingTorchSaveWrote() {
        StateDict sd = StateDict.load(fixture("torch213.pth"));
        assertEquals(List.of("model.linear.weight", "model.base", "model.base_t", "model.rows_1_3", "model.every_other",
                "model.half", "model.bf16", "model.int8", "model.flags", "model.counter", "model.double",
                "optimizer.state.0.momentum_buffer"), List.copyOf(sd.keys()));
        assertArrayEquals(new long[] {3, 2}, sd.shape("model.linear.weight"));
        assertArrayEquals(range(0, 24, 1), floats(sd, "model.base"));
        assertArrayEquals(range(6, 18, 1), floats(sd, "model.rows_1_3"));
        assertArrayEquals(range(0, 24, 2), floats(sd, "model.every_other"));
        float[] linspace = {-1, -0.5f, 0, 0.5f, 1};
        assertEquals(DType.FLOAT16, sd.dtype("model.half"));
        assertArrayEquals(linspace, floats(sd, "model.half"));
        assertEquals(DType.BFLOAT16, sd.dtype("model.bf16"));
        assertArrayEquals(linspace, floats(sd, "model.bf16"));
        assertArrayEquals(new float[] {-128, 0, 127}, floats(sd, "model.int8"));
        assertArrayEquals(new float[] {1, 0, 1}, floats(sd, "model.flags"));
        assertArrayEquals(new float[] {1.5f, -2.25f}, floats(sd, "model.double"));
        assertArrayEquals(new float[] {1, 1}, floats(sd, "optimizer.state.0.momentum_buffer"));
        assertEquals(DType.INT64, sd.dtype("model.counter"));
        assertArrayEquals(new long[0], sd.shape("model.counter"));
        try (Tensor counter = sd.get("model.counter")) {
            assertEquals(7.0, counter.item());
        }
    }

    @Test
    void viewsOfOneStorageShareItsMemory() {
        StateDict sd = StateDict.load(fixture("torch213.pth"));
        try (Tensor base = sd.get("model.base"); Tensor t = sd.get("model.base_t"); Tensor rows = sd.get("model.rows_1_3");
                Tensor expected = Ops.transpose(base, 0, 1)) {
            assertArrayEquals(new long[] {1, 6}, t.strides());
            assertArrayEquals(expected.toFloatArray(), t.toFloatArray());
            long at = NativeAddress.of(base.memory());
            assertEquals(at + 6 * 4, NativeAddress.of(rows.memory()));
        }
    }

    @Test
    void keepsPlainValuesAndNumpyScalarsAsMetadata() {
        StateDict sd = StateDict.load(fixture("torch213.pth"));
        assertEquals(List.of("epoch", "lr", "steps", "tags"), List.copyOf(sd.metadataKeys()));
        assertEquals(3L, sd.metadata("epoch"));
        assertEquals(List.of("a", List.of("b", 2L)), sd.metadata("tags"));
        Placeholder lr = assertInstanceOf(Placeholder.class, sd.metadata("lr"));
        assertEquals("numpy._core.multiarray.scalar", lr.name());
        Placeholder dtype = assertInstanceOf(Placeholder.class, lr.args().get(0));
        assertEquals("numpy.dtype", dtype.name());
        assertEquals("_codecs.encode", ((Placeholder) lr.args().get(1)).name());
    }

    @Test
    void zip64RecordsAndUnalignedStoragesReadTheSame() {
        StateDict aligned = StateDict.load(fixture("torch213.pth"));
        StateDict zip64 = StateDict.load(fixture("torch213_zip64.pth"));
        assertEquals(aligned.keys(), zip64.keys());
        for (String key : aligned.keys()) {
            assertEquals(Golden.bytes(aligned, key), Golden.bytes(zip64, key), key);
        }
    }

    @Test
    void legacyTorchSaveIsRefusedWithAdvice() {
        Path legacy = fixture("torch213_legacy.pth");
        CheckpointException e = assertThrows(CheckpointException.class, () -> StateDict.load(legacy));
        assertEquals(legacy + ": legacy torch.save format, re-save with torch>=1.6", e.getMessage());
    }

    @Test
    void readsWhatSafetensorsWrote() {
        StateDict st = StateDict.load(fixture("safetensors08.safetensors"));
        StateDict pth = StateDict.load(fixture("torch213.pth")).withPrefix("model");
        assertEquals(Map.of("format", "pt", "source", "make_fixtures.py"),
                Map.of("format", st.metadata("format"), "source", st.metadata("source")));
        assertTrue(st.keys().containsAll(List.of("half", "base", "flags", "counter")));
        for (String key : st.keys()) {
            assertEquals(Golden.bytes(pth, key), Golden.bytes(st, key), key);
        }
    }
}
