package org.cellpilot.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.Json;

/** Access to ../shared/golden and the comparison rules of its README. */
public final class Golden {
    private Golden() {
    }

    public static Path shared() {
        return Path.of(System.getProperty("cellpilot.shared", "../shared"));
    }

    public static Path dir(String name) {
        return shared().resolve("golden").resolve(name);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> cases(String name) {
        try {
            return (Map<String, Object>) Json.parse(Files.readString(dir(name).resolve("cases.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> caseList(Map<String, Object> cases) {
        return (List<Map<String, Object>>) cases.get("cases");
    }

    @SuppressWarnings("unchecked")
    public static int config(Map<String, Object> cases, String key) {
        return ((Number) ((Map<String, Object>) cases.get("config")).get(key)).intValue();
    }

    /** The README's rule: max|a − g| ≤ 1e-4 + 1e-3 · max|g| over the whole tensor. */
    public static void assertClose(String what, Tensor ours, Tensor golden) {
        assertArrayEqualsShape(what, golden, ours);
        float[] a = ours.toFloatArray();
        float[] g = golden.toFloatArray();
        double maxG = 0;
        double maxDiff = 0;
        for (int i = 0; i < g.length; i++) {
            maxG = Math.max(maxG, Math.abs(g[i]));
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - g[i]));
        }
        double bound = 1e-4 + 1e-3 * maxG;
        assertTrue(maxDiff <= bound, what + ": max |diff| " + maxDiff + " > bound " + bound);
    }

    /** Largest absolute value, for tests that need the logit bound of the README. */
    public static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.toFloatArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    public static void assertArrayEqualsShape(String what, Tensor expected, Tensor actual) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + ": shape");
    }

    /** The bundled sample image's file, found from the working directory upwards. */
    public static Path samplePath() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("samples/ihc.png"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("samples/ihc.png not found in the working directory or above it");
        }
        return dir.resolve("samples/ihc.png");
    }

    /** The bundled sample image. */
    public static org.cellpilot.RgbImage sample() {
        try {
            return org.cellpilot.RgbImage.read(samplePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
