package org.cellpilot.torch.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.testing.NoTensorLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A weight that a model has copied elsewhere (oneDNN's blocked layout) can leave the process's resident memory, and
 * still reads back unchanged from its file; memory that is not a file mapping is never touched.
 */
@ExtendWith(NoTensorLeaks.class)
class ReleaseFilePagesTest {
    private static final int COUNT = 8 << 20; // 32 MB of float32

    @TempDir
    Path dir;

    private static float[] values(int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (i % 1000) * 0.25f - 7;
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"weights.safetensors", "weights.pth"})
    void aMappedWeightLeavesResidentMemoryAndReadsBackUnchanged(String name) throws IOException {
        float[] values = values(COUNT);
        Path file = dir.resolve(name);
        try (Tensor t = Tensor.of(values, COUNT)) {
            if (name.endsWith(".pth")) {
                TorchZipWriter.write(file, Map.of("w", t));
            } else {
                SafetensorsWriter.write(file, Map.of("w", t));
            }
        }
        try (Tensor w = StateDict.load(file).get("w")) {
            assertArrayEquals(values, w.toFloatArray()); // every page resident now
            long before = residentFileKb();
            assertTrue(w.releaseFilePages(), "madvise refused");
            long released = before - residentFileKb();
            assertTrue(released >= 30 * 1024, "file-backed resident memory fell by " + released + " kB, not ~32 MB");
            assertArrayEquals(values, w.toFloatArray());
        }
    }

    @Test
    void memoryThatIsNotAMappedFileIsLeftAlone() {
        float[] values = values(1 << 20);
        try (Tensor t = Tensor.of(values, values.length)) {
            assertFalse(t.releaseFilePages());
            assertArrayEquals(values, t.toFloatArray());
        }
    }

    /** RssFile of /proc/self/status: resident pages backed by files. */
    private static long residentFileKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("RssFile:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no RssFile in /proc/self/status");
    }
}
