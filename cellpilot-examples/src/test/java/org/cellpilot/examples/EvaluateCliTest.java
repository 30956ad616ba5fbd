package org.cellpilot.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cellpilot evaluate} and {@code cellpilot metrics} against the golden folders, and their usage errors. */
class EvaluateCliTest {
    private static final Path EVAL = Golden.dir("eval_tiny");
    private static final Path METRICS = Golden.dir("metrics_tiny");

    @TempDir
    Path tmp;

    @Test
    void evaluateReproducesTheGoldenClicksAndWritesEveryOutput() throws IOException {
        Path out = tmp.resolve("eval");
        CliTest.Run r = CliTest.cli("evaluate", "--sam", EVAL.resolve("weights.pth").toString(), "--decoder-heads", "2",
                "--data", EVAL.resolve("data").toString(), "--out", out.toString(), "--clicker", "distance",
                "--feedback", "logits", "--prompts", EVAL.resolve("prompts.json").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("30/30 sequences"), r.err());
        List<String> expected = Files.readAllLines(EVAL.resolve("expected-logits.csv"));
        List<String> ours = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(expected.size(), ours.size());
        for (int i = 1; i < expected.size(); i++) {
            String[] e = expected.get(i).split(",", -1);
            String[] o = ours.get(i).split(",", -1);
            // model,image,instance,start,clicks,x,y,positive identical; iou within 1e-3 (ours adds a dice column).
            assertEquals(String.join(",", List.of(e).subList(0, 8)), String.join(",", List.of(o).subList(0, 8)));
            assertEquals(Double.parseDouble(e[8]), Double.parseDouble(o[8]), 1e-3, expected.get(i));
        }
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals("model,start,clicks,n,mean_iou,std_iou", summary.get(0));
        assertEquals(1 + 2 * 6, summary.size(), "point and box, k = 0..5");
        assertTrue(summary.get(1).startsWith("weights,point,0,15,"), summary.get(1));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("clicker: distance") && report.contains("prompts.json") && report.contains("curves.png"), report);
        assertTrue(Files.size(out.resolve("curves.png")) > 1000);
    }

    @Test
    @SuppressWarnings("unchecked")
    void metricsWritesHoverNetsNumbersAsJson() throws IOException {
        Path json = tmp.resolve("m.json");
        CliTest.Run r = CliTest.cli("metrics", "--gt", METRICS.resolve("gt").toString(), "--pred", METRICS.resolve("pred").toString(),
                "--out", json.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, Object> ours = (Map<String, Object>) Json.parse(Files.readString(json));
        Map<String, Object> expected = (Map<String, Object>) ((Map<String, Object>) Json.parse(
                Files.readString(METRICS.resolve("expected.json")))).get("images");
        Map<String, Object> images = (Map<String, Object>) ours.get("images");
        for (String name : expected.keySet()) {
            Map<String, Object> e = (Map<String, Object>) expected.get(name);
            Map<String, Object> o = (Map<String, Object>) images.get(name);
            for (String k : e.keySet()) {
                assertEquals(((Number) e.get(k)).doubleValue(), ((Number) o.get(k)).doubleValue(), 1e-6, name + " " + k);
            }
        }
        Map<String, Object> mean = (Map<String, Object>) ours.get("mean");
        double pq = expected.values().stream().mapToDouble(v -> ((Number) ((Map<String, Object>) v).get("pq")).doubleValue()).average().orElseThrow();
        assertEquals(pq, ((Number) mean.get("pq")).doubleValue(), 1e-9);
    }

    @Test
    void badUsageIsReportedWithoutAStackTrace() {
        CliTest.Run noSam = CliTest.cli("evaluate", "--data", EVAL.resolve("data").toString(), "--out", tmp.toString());
        assertEquals(2, noSam.status());
        assertTrue(noSam.err().contains("--sam is required"), noSam.err());
        CliTest.Run clicker = CliTest.cli("evaluate", "--sam", "x.pth", "--clicker", "nearest", "--data", EVAL.resolve("data").toString(),
                "--out", tmp.toString());
        assertEquals(2, clicker.status());
        assertTrue(clicker.err().contains("unknown clicker 'nearest'"), clicker.err());
        CliTest.Run missing = CliTest.cli("metrics", "--gt", METRICS.resolve("gt").toString(), "--pred", tmp.toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("img0.png") && missing.err().contains("has no prediction"), missing.err());
        assertFalse(missing.err().contains("\tat "), missing.err());
    }
}
