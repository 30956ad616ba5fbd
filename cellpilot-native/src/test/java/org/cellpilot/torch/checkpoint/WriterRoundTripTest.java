package org.cellpilot.torch.checkpoint;

import org.cellpilot.torch.testing.NoTensorLeaks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoTensorLeaks.class)
class WriterRoundTripTest {
    @TempDir
    Path dir;

    /** One tensor of every dtype, plus the awkward shapes: 0-dim, empty, odd byte counts and a transposed view. */
    private static Map<String, Tensor> mixed() {
        float[] f = new float[12];
        for (int i = 0; i < f.length; i++) {
            f[i] = i * 0.5f - 2;
        }
        Tensor x = Tensor.of(f, 3, 4);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("u8", Tensor.ofBytes(new byte[] {1, 2, (byte) 250}, DType.UINT8, 3));
        m.put("f32", x);
        m.put("f32.transposed", Ops.transpose(x, 0, 1));
        m.put("f16", Ops.to(x, DType.FLOAT16));
        m.put("bf16", Ops.to(x, DType.BFLOAT16));
        m.put("f64", Tensor.of(new double[] {Math.PI, -0.0, Double.MIN_VALUE}, 3));
        m.put("i64", Tensor.of(new long[] {Long.MIN_VALUE, -1, 1L << 40}, 3));
        m.put("i32", Tensor.of(new int[] {7}));
        m.put("i16", Ops.to(Tensor.of(new int[] {-3, 300, 5}, 3), DType.INT16));
        m.put("i8", Tensor.ofBytes(new byte[] {-128, 127}, DType.INT8, 2));
        m.put("bool", Tensor.ofBytes(new byte[] {1, 0, 1}, DType.BOOL, 3));
        m.put("empty", Tensor.of(new float[0], 0, 5));
        return m;
    }

    private static void assertSameTensors(Map<String, Tensor> expected, StateDict sd, String prefix) {
        assertEquals(List.copyOf(expected.keySet()), sd.keys().stream().map(k -> k.substring(prefix.length())).toList());
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            String key = prefix + e.getKey();
            assertArrayEquals(e.getValue().shape(), sd.shape(key), key);
            assertEquals(e.getValue().dtype(), sd.dtype(key), key);
            assertEquals(Golden.bytes(e.getValue()), Golden.bytes(sd, key), key);
        }
    }

    @Test
    void safetensorsRoundTripKeepsOrderDtypesMetadataAndAlignment() throws IOException {
        try (Scope scope = Scope.open()) {
            Map<String, Tensor> tensors = mixed();
            Path file = dir.resolve("mixed.safetensors");
            SafetensorsWriter.write(file, tensors, Map.of("format", "pt", "note", "é \"quoted\""));
            StateDict sd = StateDict.load(file);
            assertSameTensors(tensors, sd, "");
            assertEquals("pt", sd.metadata("format"));
            assertEquals("é \"quoted\"", sd.metadata("note"));

            ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            long n = head.getLong(0);
            assertEquals(0, n % 8, "header padded to 8 bytes");
            Map<?, ?> header = (Map<?, ?>) Json.parse(new String(head.array(), 8, (int) n, "UTF-8"));
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                long begin = (Long) ((List<?>) ((Map<?, ?>) header.get(e.getKey())).get("data_offsets")).get(0);
                assertEquals(0, begin % e.getValue().dtype().byteSize(), e.getKey() + " starts aligned");
            }
        }
    }

    @Test
    void torchZipRoundTripFlatAndNested() throws IOException {
        try (Scope scope = Scope.open()) {
            Map<String, Tensor> tensors = mixed();
            Path flat = dir.resolve("flat.pth");
            TorchZipWriter.write(flat, tensors);
            assertSameTensors(tensors, StateDict.load(flat), "");
            Path nested = dir.resolve("nested.ckpt");
            TorchZipWriter.write(nested, tensors, "state_dict");
            assertSameTensors(tensors, StateDict.load(nested), "state_dict.");
            assertEveryEntryAligned(nested);
        }
    }

    private static void assertEveryEntryAligned(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ZipArchive zip = ZipArchive.open(new FileRegions(ch));
            for (ZipArchive.Entry e : zip.entries()) {
                ByteBuffer local = ByteBuffer.allocate(ZipArchive.LOCAL_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(local, e.headerOffset());
                long data = e.headerOffset() + ZipArchive.LOCAL_HEADER_SIZE + local.getShort(26) + local.getShort(28);
                assertEquals(0, data % 64, e.name());
            }
        }
    }

    @Test
    void sharedStorageAndStridedViewsReadBackAsTorchWouldBuildThem() {
        float[] values = new float[24];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        try (Tensor storage = Tensor.of(values, 24)) {
            Map<String, TorchZipWriter.View> views = new LinkedHashMap<>();
            views.put("matrix", new TorchZipWriter.View(0, 0, new long[] {4, 6}, new long[] {6, 1}));
            views.put("matrix_t", new TorchZipWriter.View(0, 0, new long[] {6, 4}, new long[] {1, 6}));
            views.put("every_other_from_6", new TorchZipWriter.View(0, 6, new long[] {4}, new long[] {2}));
            views.put("broadcast_row", new TorchZipWriter.View(0, 18, new long[] {2, 3}, new long[] {0, 1}));
            Path file = dir.resolve("views.pth");
            TorchZipWriter.write(file, List.of(storage), views, null);

            StateDict sd = StateDict.load(file);
            try (Tensor m = sd.get("matrix"); Tensor mt = sd.get("matrix_t"); Tensor e = sd.get("every_other_from_6");
                    Tensor b = sd.get("broadcast_row"); Tensor expectedT = Ops.transpose(m, 0, 1)) {
                assertArrayEquals(values, m.toFloatArray());
                assertArrayEquals(new long[] {1, 6}, mt.strides());
                assertArrayEquals(expectedT.toFloatArray(), mt.toFloatArray());
                assertArrayEquals(new float[] {6, 8, 10, 12}, e.toFloatArray());
                assertArrayEquals(new float[] {18, 19, 20, 18, 19, 20}, b.toFloatArray());
            }
        }
    }

    @Test
    void goldenSamSurvivesRewritingInBothFormats() {
        StateDict golden = StateDict.load(Golden.SAM_PTH);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try {
            for (String key : golden.keys()) {
                tensors.put(key, golden.get(key));
            }
            Path pth = dir.resolve("sam.pth");
            Path st = dir.resolve("sam.safetensors");
            TorchZipWriter.write(pth, tensors);
            SafetensorsWriter.write(st, tensors);
            for (StateDict copy : List.of(StateDict.load(pth), StateDict.load(st))) {
                assertEquals(golden.keys(), copy.keys());
                for (String key : golden.keys()) {
                    assertEquals(Golden.bytes(golden, key), Golden.bytes(copy, key), key);
                }
            }
        } finally {
            tensors.values().forEach(Tensor::close);
        }
    }

    @Test
    void overwritingAFileLeavesTensorsOfTheOldOneIntact() {
        Path file = dir.resolve("cache.safetensors");
        try (Tensor one = Tensor.of(new float[] {1, 2, 3}, 3); Tensor two = Tensor.of(new float[] {7, 8, 9}, 3)) {
            SafetensorsWriter.write(file, Map.of("x", one));
            try (Tensor old = StateDict.load(file).get("x")) {
                SafetensorsWriter.write(file, Map.of("x", two));
                assertArrayEquals(new float[] {1, 2, 3}, old.toFloatArray());
            }
            try (Tensor fresh = StateDict.load(file).get("x")) {
                assertArrayEquals(new float[] {7, 8, 9}, fresh.toFloatArray());
            }
        }
    }

    @Test
    void writersRefuseWhatTheFormatCannotHold() {
        try (Tensor t = Tensor.of(new float[] {1}, 1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> SafetensorsWriter.write(dir.resolve("x.safetensors"), Map.of(SafetensorsReader.METADATA, t)));
        }
        assertEquals(0, dir.toFile().list().length, "no temporary file is left behind");
    }
}
