package org.cellpilot.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.Test;

/** HoVer-Net's metric code on ../shared/golden/metrics_tiny: every score within 1e-6, every count exact. */
class MetricsGoldenTest {
    private static final Path METRICS = Golden.dir("metrics_tiny");

    @Test
    @SuppressWarnings("unchecked")
    void reproducesHoverNetsNumbers() throws IOException {
        Map<String, Object> expected = (Map<String, Object>) ((Map<String, Object>) Json.parse(
                Files.readString(METRICS.resolve("expected.json")))).get("images");
        Map<String, InstanceMetrics.Scores> ours = MetricsRun.score(METRICS.resolve("gt"), METRICS.resolve("pred"), 12);
        assertEquals(expected.keySet(), ours.keySet());
        for (String image : expected.keySet()) {
            Map<String, Object> e = (Map<String, Object>) expected.get(image);
            Map<String, Number> o = ours.get(image).fields();
            assertEquals(e.keySet(), o.keySet(), image + ": the same fields");
            for (String field : e.keySet()) {
                double want = ((Number) e.get(field)).doubleValue();
                double got = o.get(field).doubleValue();
                if (field.equals("tp") || field.equals("fp") || field.equals("fn")) {
                    assertEquals(want, got, 0.0, image + " " + field);
                } else {
                    assertEquals(want, got, 1e-6, image + " " + field);
                }
            }
        }
    }
}
