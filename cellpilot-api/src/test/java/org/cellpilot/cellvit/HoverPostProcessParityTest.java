package org.cellpilot.cellvit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every case of golden/cellvit_tiny/postproc against the reference DetectionCellPostProcessor (40×). */
class HoverPostProcessParityTest {
    private static final String GOLDEN = "cellvit_tiny/postproc";
    private static final double TOLERANCE = 1e-6;

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> matchesReference() {
        Map<String, Object> root = Golden.cases(GOLDEN);
        assertEquals(40, ((Number) root.get("magnification")).intValue());
        StateDict tensors = StateDict.load(Golden.dir(GOLDEN).resolve("golden.safetensors"));
        HoverPostProcess post = HoverPostProcess.forMagnification(40);
        Map<String, Object> cases = (Map<String, Object>) root.get("cases");
        return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(),
                () -> check(post, c.getKey(), (Map<String, Object>) c.getValue(), tensors)));
    }

    @SuppressWarnings("unchecked")
    private static void check(HoverPostProcess post, String name, Map<String, Object> golden, StateDict tensors) {
        List<Object> shape = (List<Object>) golden.get("shape");
        int height = ((Number) shape.get(0)).intValue();
        int width = ((Number) shape.get(1)).intValue();
        HoverPostProcess.Result result;
        int[] goldenInstances;
        try (Tensor binary = tensors.get(name + "/nuclei_binary_map"); Tensor hv = tensors.get(name + "/hv_map");
                Tensor typeLogits = tensors.get(name + "/nuclei_type_map"); Tensor instances = tensors.get(name + "/instance_map")) {
            result = post.process(binary.toFloatArray(), hv.toFloatArray(), typeLogits.toFloatArray(), (int) typeLogits.size(1),
                    height, width);
            goldenInstances = instances.toIntArray();
        }

        Map<Integer, Integer> toGolden = relabelling(result.instanceMap(), goldenInstances);
        List<Object> expectedCells = (List<Object>) golden.get("cells");
        Map<Integer, DetectedCell> ours = new HashMap<>();
        result.cells().forEach(cell -> ours.put(toGolden.get(cell.id()), cell));
        List<String> differences = new ArrayList<>();
        if (ours.size() != expectedCells.size()) {
            differences.add(name + ": " + ours.size() + " cells, expected " + expectedCells.size());
        }
        for (Object o : expectedCells) {
            Map<String, Object> expected = (Map<String, Object>) o;
            int id = ((Number) expected.get("id")).intValue();
            DetectedCell cell = ours.get(id);
            String where = name + " cell " + id;
            if (cell == null) {
                differences.add(where + ": missing");
                continue;
            }
            int[][] bbox = ints((List<Object>) expected.get("bbox"));
            int[][] actualBox = {{cell.bbox().rowMin(), cell.bbox().colMin()}, {cell.bbox().rowMax(), cell.bbox().colMax()}};
            compare(differences, where, "bbox", Arrays.deepEquals(bbox, actualBox), bbox, actualBox);
            List<Object> centroid = (List<Object>) expected.get("centroid");
            double[] actualCentroid = {cell.centroidX(), cell.centroidY()};
            compare(differences, where, "centroid",
                    Math.abs(((Number) centroid.get(0)).doubleValue() - actualCentroid[0]) <= TOLERANCE
                            && Math.abs(((Number) centroid.get(1)).doubleValue() - actualCentroid[1]) <= TOLERANCE,
                    centroid, actualCentroid);
            int[][] contour = ints((List<Object>) expected.get("contour"));
            compare(differences, where, "contour", Arrays.deepEquals(contour, cell.contour()), contour, cell.contour());
            int type = ((Number) expected.get("type")).intValue();
            compare(differences, where, "type", type == cell.type(), type, cell.type());
            double typeProb = ((Number) expected.get("type_prob")).doubleValue();
            compare(differences, where, "type_prob", Math.abs(typeProb - cell.typeProbability()) <= TOLERANCE,
                    typeProb, cell.typeProbability());
        }
        assertTrue(differences.isEmpty(), String.join("\n", differences));
    }

    /** Our label → the golden label, asserting the two maps are the same partition with the same background. */
    private static Map<Integer, Integer> relabelling(int[] ours, int[] golden) {
        assertEquals(golden.length, ours.length, "instance map size");
        Map<Integer, Integer> forward = new HashMap<>();
        Map<Integer, Integer> backward = new HashMap<>();
        for (int i = 0; i < ours.length; i++) {
            int a = ours[i];
            int b = golden[i];
            assertEquals(a == 0, b == 0, "background differs at pixel " + i);
            assertEquals(b, (int) forward.computeIfAbsent(a, k -> b), "instance maps differ at pixel " + i);
            assertEquals(a, (int) backward.computeIfAbsent(b, k -> a), "instance maps differ at pixel " + i);
        }
        return forward;
    }

    private static void compare(List<String> differences, String where, String field, boolean same, Object expected, Object actual) {
        if (!same) {
            differences.add(where + " " + field + ": expected " + Arrays.deepToString(new Object[] {expected})
                    + ", got " + Arrays.deepToString(new Object[] {actual}));
        }
    }

    private static int[][] ints(List<Object> rows) {
        return rows.stream()
                .map(r -> ((List<Object>) r).stream().mapToInt(v -> ((Number) v).intValue()).toArray())
                .toArray(int[][]::new);
    }
}
