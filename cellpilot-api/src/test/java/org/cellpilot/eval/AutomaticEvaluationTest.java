package org.cellpilot.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cellpilot.CellPilot;
import org.cellpilot.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Automatic segmentation scored per image; its label images rescore to the same numbers. */
class AutomaticEvaluationTest {
    @TempDir
    Path out;

    @Test
    void writesLabelsThatRescoreToTheSameMetrics() throws IOException {
        Path data = Golden.dir("eval_tiny").resolve("data");
        Map<String, InstanceMetrics.Scores> scores;
        try (CellPilot pilot = CellPilot.builder().build()) { // the built-in hematoxylin detector
            scores = AutomaticEvaluation.run(Dataset.open(data), pilot, 12, out, (d, t) -> { }, () -> false);
        }
        assertEquals(List.of("crop_a", "flip_b", "whole"), List.copyOf(scores.keySet()));
        assertEquals(MetricsRun.json(MetricsRun.score(data.resolve("labels"), out.resolve("labels"), 12)),
                Files.readString(out.resolve("metrics.json")));
        List<String> csv = Files.readAllLines(out.resolve("automatic.csv"));
        assertEquals("image,pq,dq,sq,aji,aji_plus,dice,f1,precision,recall,tp,fp,fn", csv.get(0));
        assertEquals(4, csv.size());
        for (InstanceMetrics.Scores s : scores.values()) {
            assertTrue(s.tp() > 0 && s.f1() > 0.2, "the detector finds nuclei of these H&E crops: " + s);
        }
    }
}
