package org.cellpilot.torch.checkpoint;

import org.cellpilot.torch.testing.NoTensorLeaks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoTensorLeaks.class)
class StateDictTest {
    @Test
    void samPthAndSafetensorsHoldTheSameTensorsBitForBit() {
        StateDict pth = StateDict.load(Golden.SAM_PTH);
        StateDict st = StateDict.load(Golden.SAM_SAFETENSORS);
        assertEquals(st.keys(), pth.keys());
        assertTrue(st.keys().size() > 100);
        for (String key : st.keys()) {
            assertArrayEquals(st.shape(key), pth.shape(key), key);
            assertEquals(st.dtype(key), pth.dtype(key), key);
            assertEquals(Golden.bytes(st, key), Golden.bytes(pth, key), key);
        }
    }

    @Test
    void lightningCheckpointKeepsItsForeignHyperParametersAsPlaceholder() {
        StateDict sd = StateDict.load(Golden.CELLPILOT_CKPT);
        assertTrue(sd.contains("state_dict.sam.image_encoder.pos_embed"));
        assertTrue(sd.contains("state_dict.model.image_encoder.pos_embed"));
        assertTrue(sd.keys().stream().allMatch(k -> k.startsWith("state_dict.sam.") || k.startsWith("state_dict.model.")
                || k.startsWith("optimizer_states.")), sd.keys()::toString);
        assertEquals(19L, sd.metadata("epoch"));
        assertEquals(12345L, sd.metadata("global_step"));
        Placeholder hp = assertInstanceOf(Placeholder.class, sd.metadata("hyper_parameters"));
        assertEquals("lightning.fabric.utilities.data.AttributeDict", hp.name());
        Map<?, ?> config = assertInstanceOf(Map.class, hp.items().get("config"));
        assertEquals("vit_b", ((Map<?, ?>) config.get("model_config")).get("model_type"));
        assertFalse(sd.metadataKeys().contains("state_dict"));
    }

    @Test
    void cellvitCheckpointHasArchConfigAndModelStateDict() {
        StateDict sd = StateDict.load(Golden.CELLVIT_PTH);
        assertEquals("CellViT", sd.metadata("arch"));
        Map<?, ?> config = assertInstanceOf(Map.class, sd.metadata("config"));
        assertEquals("ViT256", config.get("model.backbone"));
        assertEquals(List.of(0.5, 0.5, 0.5), config.get("transformations.normalize.mean"));
        assertTrue(sd.contains("model_state_dict.encoder.cls_token"));
        assertTrue(sd.keys().stream().allMatch(k -> k.startsWith("model_state_dict.")));
        assertTrue(sd.keys().stream().anyMatch(k -> sd.dtype(k) == DType.INT64), "BatchNorm counters are LongStorage");
    }

    @Test
    void withPrefixStripsThePrefixAndErrorsNameTheFullKey() {
        StateDict sd = StateDict.load(Golden.CELLPILOT_CKPT);
        StateDict sam = sd.withPrefix("state_dict.sam");
        assertEquals(sam.keys(), sd.withPrefix("state_dict.sam.").keys());
        assertArrayEquals(sd.shape("state_dict.sam.image_encoder.pos_embed"), sam.shape("image_encoder.pos_embed"));
        StateDict encoder = sam.withPrefix("image_encoder");
        assertTrue(encoder.contains("pos_embed"));
        assertEquals(Golden.bytes(sd, "state_dict.sam.image_encoder.pos_embed"), Golden.bytes(encoder, "pos_embed"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> encoder.get("no_such"));
        assertEquals("missing key 'state_dict.sam.image_encoder.no_such' in " + Golden.CELLPILOT_CKPT, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sd.shape("nope"));
    }

    @Test
    void getGivesTheCallerATensorThatOutlivesAnOpenScope() {
        StateDict sd = StateDict.load(Golden.SAM_SAFETENSORS);
        long before = Tensor.liveCount();
        sd.shape("image_encoder.pos_embed");
        sd.dtype("image_encoder.pos_embed");
        assertEquals(before, Tensor.liveCount(), "metadata queries make no tensor");
        Tensor t;
        try (Scope scope = Scope.open()) {
            t = sd.get("image_encoder.pos_embed");
        }
        assertFalse(t.isClosed());
        t.close();
    }

    @Test
    void everyGetAliasesTheSameMappedMemory() {
        StateDict sd = StateDict.load(Golden.SAM_PTH);
        try (Tensor a = sd.get("image_encoder.pos_embed"); Tensor b = sd.get("image_encoder.pos_embed")) {
            assertEquals(address(a), address(b));
            assertEquals(0, address(a) % 64, "torch aligns storages to 64 bytes in the file, and the mapping keeps that");
        }
    }

    @Test
    void deflatedEntriesAreInflated(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("deflated.pth");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> e : Golden.unzip(Golden.SAM_PTH).entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
            }
        }
        StateDict golden = StateDict.load(Golden.SAM_PTH);
        StateDict deflated = StateDict.load(zip);
        assertEquals(golden.keys(), deflated.keys());
        for (String key : golden.keys()) {
            assertEquals(Golden.bytes(golden, key), Golden.bytes(deflated, key), key);
        }
    }

    @Test
    void misalignedSafetensorsDataIsCopiedIntoAlignedMemory(@TempDir Path dir) {
        ByteBuffer data = ByteBuffer.allocate(16 + 8).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(1.5f).putFloat(-2).putFloat(3).putFloat(4).putDouble(Math.E);
        // A 3-byte header puts the data at file offset 11: no element type is aligned there.
        String header = "{\"f\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[16,24]}}";
        header += " ".repeat(3 + 8 - (8 + header.length()) % 8);
        StateDict sd = StateDict.load(Golden.safetensors(dir.resolve("odd.safetensors"), header, data.array()));
        try (Tensor f = sd.get("f"); Tensor d = sd.get("d")) {
            assertArrayEquals(new float[] {1.5f, -2, 3, 4}, f.toFloatArray());
            assertEquals(0, address(f) % 4);
            assertEquals(Math.E, d.item());
            assertEquals(0, address(d) % 8);
        }
    }

    private static long address(Tensor t) {
        return NativeAddress.of(t.memory());
    }
}
