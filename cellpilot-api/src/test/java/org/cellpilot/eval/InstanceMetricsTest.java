package org.cellpilot.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cases HoVer-Net leaves undefined (they would be 0/0), and hand-counted detection pairing. */
class InstanceMetricsTest {
    private static final int[] EMPTY = new int[16];
    private static final int[] ONE = {
        0, 0, 0, 0,
        0, 7, 7, 0,
        0, 7, 7, 0,
        0, 0, 0, 0};

    private static InstanceMetrics.Scores score(int[] truth, int[] predicted) {
        return InstanceMetrics.score(new LabelMap(4, 4, truth), new LabelMap(4, 4, predicted), 12);
    }

    @Test
    void neitherTruthNorPredictionScoresOne() {
        InstanceMetrics.Scores s = score(EMPTY, EMPTY);
        assertEquals(new InstanceMetrics.Scores(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0), s);
    }

    @Test
    void onlyTruthOrOnlyPredictionScoresZeroWithItsCounts() {
        assertEquals(new InstanceMetrics.Scores(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), score(ONE, EMPTY));
        assertEquals(new InstanceMetrics.Scores(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0), score(EMPTY, ONE));
    }

    @Test
    void identicalMapsUnderOtherIdsArePerfect() {
        int[] relabelled = ONE.clone();
        for (int i = 0; i < relabelled.length; i++) {
            relabelled[i] = relabelled[i] == 0 ? 0 : 40000;
        }
        InstanceMetrics.Scores s = score(ONE, relabelled);
        assertEquals(1, s.dq(), 0);
        assertEquals(1, s.sq(), 1e-6); // HoVer-Net's 1e-6 guard: 1 / (1 + 1e-6)
        assertEquals(1, s.aji(), 1e-12);
        assertEquals(1, s.f1(), 0);
        assertEquals(1, s.tp());
    }

    @Test
    void detectionPairsOnlyWithinTheRadiusInclusive() {
        double[][] truth = {{0, 0}, {100, 0}};
        double[][] predicted = {{0, 12}, {100, 12.5}, {300, 300}};
        InstanceMetrics.Detection d = InstanceMetrics.detection(truth, predicted, 12);
        assertEquals(new InstanceMetrics.Detection(1, 2, 1), d);
    }

    @Test
    void jsonHoldsNoNaNEvenForEmptyImages() {
        Map<String, InstanceMetrics.Scores> images = new LinkedHashMap<>();
        images.put("empty", score(EMPTY, EMPTY));
        images.put("missed", score(ONE, EMPTY));
        String json = MetricsRun.json(images);
        assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
        assertEquals(true, json.contains("\"mean\":{\"pq\":0.5"), json);
    }

    @Test
    void refusesMapsOfDifferentSizes() {
        assertThrows(IllegalArgumentException.class,
                () -> InstanceMetrics.score(new LabelMap(4, 4, ONE), new LabelMap(2, 8, ONE), 12));
    }
}
