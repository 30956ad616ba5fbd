package org.cellpilot.torch.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.testing.NoTensorLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A checkpoint's tensors share the file's mapping: a process that loads models again and again must not approach
 * the kernel's limit on mappings (65,530) while its garbage collector has no reason to unmap old ones.
 */
@ExtendWith(NoTensorLeaks.class)
class FileRegionsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sam_tiny/weights.pth", "sam_tiny/weights.safetensors"})
    void aCheckpointOfHundredsOfTensorsAddsOneMapping(String golden) throws IOException {
        Path file = Files.copy(Golden.ROOT.resolve(golden), dir.resolve(Path.of(golden).getFileName()));
        StateDict sd = StateDict.load(file);
        List<Tensor> tensors = new ArrayList<>();
        try {
            for (String key : sd.keys()) {
                tensors.add(sd.get(key));
            }
            assertTrue(tensors.size() > 100, "the golden model has " + tensors.size() + " tensors");
            assertEquals(1, mappingsOf(file), "mappings of " + file + " while " + tensors.size() + " tensors view it");
        } finally {
            tensors.forEach(Tensor::close);
        }
    }

    @Test
    void regionsInAnyOrderReadTheFileThroughFewWindows() throws IOException {
        byte[] content = new byte[40_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + (i >> 8));
        }
        Path file = Files.write(dir.resolve("data.bin"), content);
        try (FileChannel ch = FileChannel.open(file)) {
            FileRegions regions = new FileRegions(ch, 16_384);
            long[][] requests = {{30_000, 5_000}, {100, 1_000}, {12_000, 8_000}, {200, 50}, {39_990, 10}, {0, 20_000}};
            for (long[] r : requests) {
                ByteBuffer b = regions.map(r[0], r[1], 1);
                assertEquals(r[1], b.remaining());
                for (int i = 0; i < r[1]; i++) {
                    assertEquals(content[(int) r[0] + i], b.get(i), "byte " + (r[0] + i));
                }
            }
            // [23616, 40000) for the first, [0, 16384) for the second, [12000, 28384) for the third, which crosses
            // both; the fourth and fifth fit one of those, and the sixth, larger than a window, gets its own.
            assertEquals(4, regions.mappings());
        }
    }

    @Test
    void aRegionPastTheEndOfTheFileIsReportedNotMapped() throws IOException {
        Path file = Files.write(dir.resolve("short.bin"), new byte[1000]);
        try (FileChannel ch = FileChannel.open(file)) {
            FileRegions regions = new FileRegions(ch);
            CheckpointException e = assertThrows(CheckpointException.class, () -> regions.map(900, 200, 1));
            assertTrue(e.getMessage().contains("runs past the end of the 1000-byte file"), e.getMessage());
            assertEquals(0, regions.mappings());
        }
    }

    private static long mappingsOf(Path file) throws IOException {
        String name = file.toRealPath().toString();
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.endsWith(" " + name)).count();
        }
    }
}
