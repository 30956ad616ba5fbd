package org.cellpilot.torch.checkpoint;

import org.cellpilot.torch.testing.NoTensorLeaks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a checkpoint can be wrong ends in a CheckpointException that names the file and the problem. */
@ExtendWith(NoTensorLeaks.class)
class MalformedCheckpointTest {
    @TempDir
    Path dir;

    private CheckpointException refused(Path file, String expected) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> StateDict.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
        return e;
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void emptyAndForeignFiles() throws IOException {
        assertEquals("not a PyTorch or safetensors checkpoint: " + dir.resolve("empty.pth") + " (the file is empty)",
                refused(file("empty.pth", new byte[0]), "").getMessage());
        refused(file("text.pth", "hello, world\n".getBytes(StandardCharsets.US_ASCII)),
                "not a PyTorch or safetensors checkpoint");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 3, 4, 30, 1000, 36163, 500_000, -22, -1})
    void truncatedTorchZip(long cut) throws IOException {
        byte[] all = Files.readAllBytes(Golden.SAM_PTH);
        Path f = file("cut.pth", Arrays.copyOf(all, (int) (cut < 0 ? all.length + cut : cut)));
        refused(f, cut > 0 && cut < 4 ? "not a PyTorch or safetensors checkpoint" : "zip end-of-central-directory record (truncated?)");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 8, 9, 100, 22799, 22800, 400_000, -1})
    void truncatedSafetensors(long cut) throws IOException {
        byte[] all = Files.readAllBytes(Golden.SAM_SAFETENSORS);
        Path f = file("cut.safetensors", Arrays.copyOf(all, (int) (cut < 0 ? all.length + cut : cut)));
        refused(f, cut > 0 && cut < 9 ? "not a PyTorch or safetensors checkpoint"
                : cut > 0 && cut < 22800 ? "header of 22792 bytes runs past the end" : "are not a range inside the");
    }

    @Test
    void flippedByteInSafetensorsHeader() throws IOException {
        byte[] all = Files.readAllBytes(Golden.SAM_SAFETENSORS);
        int colon = new String(all, 0, 200, StandardCharsets.ISO_8859_1).indexOf(':');
        all[colon] ^= 0x01; // ':' becomes ';'
        refused(file("flipped.safetensors", all), "safetensors header: JSON: expected ':', found ';' at offset " + (colon - 8));
    }

    @Test
    void safetensorsOffsetsSizesAndTypesAreChecked() {
        byte[] data = new byte[24];
        refused(Golden.safetensors(dir.resolve("range.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,32]}}", data),
                "tensor 'a': data_offsets [0, 32] are not a range inside the 24 data bytes");
        refused(Golden.safetensors(dir.resolve("overlap.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", data),
                "tensors 'a' [0, 16) and 'b' [8, 24) overlap");
        refused(Golden.safetensors(dir.resolve("size.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", data),
                "tensor 'a': F32[3] needs 12 bytes but data_offsets [0, 16] hold 16");
        refused(Golden.safetensors(dir.resolve("dtype.safetensors"),
                "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}", data),
                "tensor 'a': unsupported dtype \"F8_E4M3\"");
        refused(Golden.safetensors(dir.resolve("shape.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", data),
                "\"shape\" holds -1, not a non-negative integer");
        refused(Golden.safetensors(dir.resolve("overflow.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", data),
                "needs more than 2^63 bytes");
        refused(Golden.safetensors(dir.resolve("meta.safetensors"), "{\"__metadata__\":{\"n\":1}}", data),
                "__metadata__ value of \"n\" is not a string");
        refused(Golden.safetensors(dir.resolve("array.safetensors"), "{\"a\":[]}", data), "header entry is not an object");
    }

    @Test
    void safetensorsHeaderLengthIsBounded() throws IOException {
        byte[] head = new byte[64];
        head[3] = 0x10; // 256 MB
        head[8] = '{';
        refused(file("huge.safetensors", head), "is over the limit of 104857600 bytes");
    }

    @Test
    void zipWithoutDataPklIsNotACheckpoint() {
        Path f = Golden.zip(dir.resolve("docs.zip"), Map.of("docs/readme.txt", "hi".getBytes(StandardCharsets.US_ASCII)));
        refused(f, "zip archive has no docs/data.pkl: not a torch.save checkpoint");
    }

    @Test
    void osSystemInAPickleStaysAnInertPlaceholder() {
        Path marker = dir.resolve("pwned");
        byte[] pickle = new PickleWriter().op('}').string("evil").global("os", "system").string("touch " + marker).op(0x85)
                .op('R').op('s').op('.').toBytes();
        StateDict sd = StateDict.load(Golden.pickleZip(dir.resolve("evil.pth"), pickle));
        Placeholder p = assertInstanceOf(Placeholder.class, sd.metadata("evil"));
        assertEquals("os.system", p.name());
        assertEquals(List.of("touch " + marker), p.args());
        assertFalse(Files.exists(marker), "nothing ran");
        assertTrue(sd.keys().isEmpty());
    }

    @Test
    void unknownOpcodeInACheckpoint() {
        byte[] pickle = {(byte) 0x80, 2, '}', 'i', '.'};
        refused(Golden.pickleZip(dir.resolve("inst.pth"), pickle), "pickle offset 3, opcode 0x69: unsupported opcode");
    }

    @Test
    void topLevelMustBeADict() {
        byte[] pickle = new PickleWriter().global("segment_anything.modeling", "Sam").op(')').op(0x81).op('.').toBytes();
        refused(Golden.pickleZip(dir.resolve("model.pth"), pickle),
                "holds Placeholder Placeholder(segment_anything.modeling.Sam, called with 0 args), not a dict of tensors");
    }

    @Test
    void cyclesAreRefused() {
        byte[] pickle = new PickleWriter().op('}').string("loop").op(']').op('2').op('a').op('s').op('.').toBytes();
        refused(Golden.pickleZip(dir.resolve("cycle.pth"), pickle), "nests deeper than 100 levels (a cycle?)");
    }

    @Test
    void corruptPickleFailsItsCrc() throws IOException {
        byte[] all = Files.readAllBytes(Golden.SAM_PTH);
        int at = new String(all, 0, 4096, StandardCharsets.ISO_8859_1).indexOf("pos_embed");
        all[at] = 'P';
        refused(file("crc.pth", all), "zip entry weights/data.pkl fails its CRC check (corrupt file)");
    }

    @Test
    void bigEndianCheckpointsAreRefused() {
        Map<String, byte[]> entries = new LinkedHashMap<>(Golden.unzip(Golden.SAM_PTH));
        entries.put("weights/byteorder", "big".getBytes(StandardCharsets.US_ASCII));
        refused(Golden.zip(dir.resolve("be.pth"), entries), "byteorder is 'big'; only little-endian checkpoints are supported");
    }

    @Test
    void storagesMustExistAndHoldTheirElements() {
        Map<String, byte[]> entries = new LinkedHashMap<>(Golden.unzip(Golden.SAM_PTH));
        entries.remove("weights/data/0");
        refused(Golden.zip(dir.resolve("missing.pth"), entries), "storage '0' has no entry weights/data/0");
        entries = new LinkedHashMap<>(Golden.unzip(Golden.SAM_PTH));
        entries.put("weights/data/0", new byte[100]);
        refused(Golden.zip(dir.resolve("short.pth"), entries),
                "storage '0' of 12288 FLOAT32 elements does not fit its 100-byte entry");
    }

    @Test
    void viewsMustStayInsideTheirStorage() {
        try (Tensor storage = Tensor.of(new float[6], 6)) {
            Path f = dir.resolve("view.pth");
            TorchZipWriter.write(f, List.of(storage), Map.of("v", new TorchZipWriter.View(0, 2, new long[] {2, 3},
                    new long[] {3, 1})), null);
            refused(f, "storage '0': tensor of size [2, 3], stride [3, 1] at offset 2 reaches past its storage of 6 FLOAT32");
        }
    }

    @Test
    void missingFileIsAnIoError() {
        assertThrows(java.io.UncheckedIOException.class, () -> StateDict.load(dir.resolve("absent.pth")));
    }
}
