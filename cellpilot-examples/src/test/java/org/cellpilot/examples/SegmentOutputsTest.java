package org.cellpilot.examples;

import static org.cellpilot.examples.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.testing.CocoRle;
import org.cellpilot.testing.Golden;
import org.cellpilot.testing.OgcOutlines;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code segment} on the bundled sample, with the built-in detector and with SAM (the tiny golden weights): every
 * GeoJSON outline is valid for JTS, its area is the pixel count, and JTS puts exactly the pixels of the same
 * object's COCO mask (decoded as pycocotools does) inside it.
 */
class SegmentOutputsTest {
    @TempDir
    Path tmp;

    private static Path sample() {
        Path d = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(d.resolve("samples/ihc.png"))) {
            d = d.getParent();
        }
        return d.resolve("samples/ihc.png");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @SuppressWarnings("unchecked")
    void everyOutlineIsValidAndHasThePixelCountAsArea(boolean sam) throws IOException {
        String weights = Golden.dir("sam_tiny").resolve("weights.pth").toString();
        CliTest.Run run = sam
                ? cli("segment", sample().toString(), "--stain", "hdab", "--sam", weights, "--format", "geojson,coco", "--out", tmp.toString())
                : cli("segment", sample().toString(), "--stain", "hdab", "--format", "geojson,coco", "--out", tmp.toString());
        assertEquals(0, run.status(), run.err());
        List<Map<String, Object>> features = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(
                Files.readString(tmp.resolve("ihc.geojson")))).get("features");
        Map<String, Object> coco = (Map<String, Object>) Json.parse(Files.readString(tmp.resolve("ihc-coco.json")));
        Map<Long, Map<String, Object>> annotations = new HashMap<>();
        for (Object a : (List<Object>) coco.get("annotations")) {
            annotations.put((Long) ((Map<String, Object>) a).get("id"), (Map<String, Object>) a);
        }
        assertTrue(features.size() > 150, features.size() + " features");
        assertEquals(features.size(), annotations.size(), "GeoJSON and COCO list the same objects");
        for (Map<String, Object> f : features) {
            Map<String, Object> properties = (Map<String, Object>) f.get("properties");
            Map<String, Object> a = annotations.get((Long) properties.get("cellpilotId"));
            Map<String, Object> segmentation = (Map<String, Object>) a.get("segmentation");
            boolean[] pixels = CocoRle.decode((String) segmentation.get("counts"), 512, 512);
            // Outside the COCO box (one pixel more on each side) JTS must find nothing; the RLE has nothing there.
            List<Long> box = (List<Long>) a.get("bbox");
            int x0 = (int) Math.max(0, box.get(0) - 1);
            int y0 = (int) Math.max(0, box.get(1) - 1);
            int x1 = (int) Math.min(512, box.get(0) + box.get(2) + 1);
            int y1 = (int) Math.min(512, box.get(1) + box.get(3) + 1);
            OgcOutlines.assertOutlines(OgcOutlines.fromGeoJson((Map<String, Object>) f.get("geometry")), (x, y) -> pixels[x * 512 + y],
                    (Long) a.get("area"), x0, y0, x1, y1);
        }
    }
}
