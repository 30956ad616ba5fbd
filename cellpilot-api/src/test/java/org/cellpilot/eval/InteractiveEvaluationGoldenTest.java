package org.cellpilot.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.CellPilot;
import org.cellpilot.testing.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The protocol against Meta's SamPredictor and SimpleClick's Clicker (../shared/golden/eval_tiny): every click
 * identical and every IoU within 1e-3, for both feedback settings.
 */
class InteractiveEvaluationGoldenTest {
    private static final Path EVAL = Golden.dir("eval_tiny");
    private static CellPilot pilot;

    @TempDir
    Path out;

    @BeforeAll
    static void load() {
        pilot = CellPilot.builder().sam(EVAL.resolve("weights.pth")).decoderHeads(2).build();
    }

    @AfterAll
    static void close() {
        pilot.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "logits"})
    void reproducesEveryClickAndIou(String feedback) throws IOException {
        InteractiveEvaluation.Settings s = new InteractiveEvaluation.Settings(EnumSet.allOf(Start.class), 5, ClickRule.DISTANCE,
                feedback.equals("logits"), 10, 0, EVAL.resolve("prompts.json"));
        InteractiveEvaluation.run(Dataset.open(EVAL.resolve("data")), List.of(new InteractiveEvaluation.Model("weights", pilot)), s,
                out, (d, t) -> { }, () -> false);
        Map<String, Map<String, String>> expected = csv(EVAL.resolve("expected-" + feedback + ".csv"));
        Map<String, Map<String, String>> ours = csv(out.resolve("results.csv"));
        assertEquals(expected.keySet(), ours.keySet(), "the same rows");
        List<String> differ = new ArrayList<>();
        for (String key : expected.keySet()) {
            Map<String, String> e = expected.get(key);
            Map<String, String> o = ours.get(key);
            boolean sameClick = e.get("x").equals(o.get("x")) && e.get("y").equals(o.get("y")) && e.get("positive").equals(o.get("positive"));
            double iouDiff = Math.abs(Double.parseDouble(e.get("iou")) - Double.parseDouble(o.get("iou")));
            if (!sameClick || iouDiff > 1e-3) {
                differ.add(key + ": expected " + e + ", got " + o);
            }
        }
        assertTrue(differ.isEmpty(), differ.size() + " of " + expected.size() + " rows differ:\n" + String.join("\n", differ));
    }

    /** Rows keyed by model, image, instance, start and clicks; each row as column name to value. */
    static Map<String, Map<String, String>> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",", -1);
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], v[i]);
            }
            rows.put(row.get("model") + "/" + row.get("image") + "/" + row.get("instance") + "/" + row.get("start") + "/" + row.get("clicks"), row);
        }
        return rows;
    }
}
