package org.cellpilot.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.cellpilot.CellPilot;
import org.cellpilot.testing.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several models in one run see the same instances and starts; a cancelled run keeps what it finished. */
class MultiModelEvaluationTest {
    private static final Path EVAL = Golden.dir("eval_tiny");
    private static CellPilot evalSam;
    private static CellPilot otherSam;

    @TempDir
    Path out;

    @BeforeAll
    static void load() {
        evalSam = CellPilot.builder().sam(EVAL.resolve("weights.pth")).decoderHeads(2).build();
        otherSam = CellPilot.builder().sam(Golden.dir("sam_tiny").resolve("weights.pth")).decoderHeads(2).build();
    }

    @AfterAll
    static void close() {
        evalSam.close();
        otherSam.close();
    }

    private static InteractiveEvaluation.Settings settings() {
        return new InteractiveEvaluation.Settings(EnumSet.allOf(Start.class), 2, ClickRule.LARGEST_COMPONENT, false, 2, 42, null);
    }

    @Test
    void everyModelGetsTheSameInstancesAndStarts() throws IOException {
        List<InteractiveEvaluation.Model> models = List.of(new InteractiveEvaluation.Model("a", evalSam),
                new InteractiveEvaluation.Model("b", otherSam), new InteractiveEvaluation.Model("a-again", evalSam));
        InteractiveEvaluation.run(Dataset.open(EVAL.resolve("data")), models, settings(), out, (d, t) -> { }, () -> false);
        Map<String, Map<String, String>> rows = InteractiveEvaluationGoldenTest.csv(out.resolve("results.csv"));
        List<String> a = keysOf(rows, "a");
        assertEquals(3 * 2 * 2 * 3, a.size(), "3 images x 2 instances x 2 starts x (k = 0..2)");
        assertEquals(a, keysOf(rows, "b"), "model b: the same images, instances, starts and steps");
        assertEquals(a, keysOf(rows, "a-again"));
        int differing = 0;
        for (String key : a) {
            Map<String, String> ra = rows.get("a/" + key);
            Map<String, String> rb = rows.get("b/" + key);
            Map<String, String> rc = rows.get("a-again/" + key);
            if (key.endsWith("/point/0")) {
                assertEquals(ra.get("x") + "," + ra.get("y"), rb.get("x") + "," + rb.get("y"), "the same start point: " + key);
            }
            // The same weights give the same masks, so box starts and the seeded clicks are the same too.
            for (String col : List.of("x", "y", "positive", "iou")) {
                assertEquals(ra.get(col), rc.get(col), key + " " + col);
            }
            differing += ra.get("iou").equals(rb.get("iou")) ? 0 : 1;
        }
        assertNotEquals(0, differing, "other weights give other masks");
    }

    @Test
    void aCancelledRunKeepsTheSequencesItFinished() throws IOException {
        AtomicInteger done = new AtomicInteger();
        InteractiveEvaluation.Outcome o = InteractiveEvaluation.run(Dataset.open(EVAL.resolve("data")),
                List.of(new InteractiveEvaluation.Model("a", evalSam)), settings(), out, (d, t) -> done.set(d), () -> done.get() >= 3);
        assertTrue(o.cancelled());
        assertEquals(3 * 3, o.rows());
        assertEquals(1 + 3 * 3, Files.readAllLines(out.resolve("results.csv")).size());
        assertTrue(Files.readString(out.resolve("report.md")).contains("Cancelled"));
        assertTrue(Files.size(out.resolve("curves.png")) > 0 && Files.size(out.resolve("summary.csv")) > 0);
    }

    private static List<String> keysOf(Map<String, Map<String, String>> rows, String model) {
        List<String> out = new ArrayList<>();
        for (String k : rows.keySet()) {
            if (k.startsWith(model + "/")) {
                out.add(k.substring(model.length() + 1));
            }
        }
        return out;
    }
}
