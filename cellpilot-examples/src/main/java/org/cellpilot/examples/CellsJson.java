package org.cellpilot.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.cellvit.DetectedCell;
import org.cellpilot.torch.checkpoint.Json;

/** Writes post-processed cells with the fields and conventions of the golden post-processing cases. */
final class CellsJson {
    private CellsJson() {
    }

    static void write(Path file, List<DetectedCell> cells) throws IOException {
        List<Object> out = new ArrayList<>();
        for (DetectedCell c : cells) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("bbox", List.of(List.of(c.bbox().rowMin(), c.bbox().colMin()), List.of(c.bbox().rowMax(), c.bbox().colMax())));
            m.put("centroid", List.of(c.centroidX(), c.centroidY()));
            List<Object> contour = new ArrayList<>();
            for (int[] p : c.contour()) {
                contour.add(List.of(p[0], p[1]));
            }
            m.put("contour", contour);
            m.put("type", c.type());
            m.put("type_prob", c.typeProbability());
            out.add(m);
        }
        Files.writeString(file, Json.write(Map.of("cells", out)));
    }
}
