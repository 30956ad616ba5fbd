package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cellpilot.detect.HematoxylinDetector;
import org.cellpilot.detect.StainVectors;
import org.cellpilot.testing.Golden;
import org.cellpilot.testing.OgcOutlines;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job on the bundled sample with no weights at all: detector masks, exported and read back. */
class SampleWorkflowTest {
    @Test
    void segmentsTheSampleAndItsGeoJsonRoundTrips(@TempDir Path tmp) throws IOException {
        RgbImage image = Golden.sample();
        try (CellPilot cp = CellPilot.builder().detector(HematoxylinDetector.builder().stains(StainVectors.H_DAB).build()).build();
             Session s = cp.open(image)) {
            List<Mask> cells = s.segmentAutomatically();
            // HematoxylinDetectorSampleTest checks the count against a hand count; here: a plausible range for 512x512.
            assertTrue(cells.size() > 150 && cells.size() < 500, cells.size() + " cells");
            Path file = tmp.resolve("cells.geojson");
            Exports.writeGeoJson(cells, file);
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(file));
            assertEquals("FeatureCollection", root.get("type"));
            List<?> features = (List<?>) root.get("features");
            assertEquals(cells.size(), features.size());
            for (int i = 0; i < cells.size(); i++) {
                // Every outline valid for JTS (so for shapely and QuPath), its area the pixel count.
                @SuppressWarnings("unchecked")
                Map<String, Object> geometry = (Map<String, Object>) ((Map<String, Object>) features.get(i)).get("geometry");
                MaskRaster r = cells.get(i).raster();
                int[] b = r.bounds();
                OgcOutlines.assertOutlines(OgcOutlines.fromGeoJson(geometry), r::contains, r.area(), b[0] - 1, b[1] - 1, b[2] + 1, b[3] + 1);
            }
            List<Mask> back = Exports.readGeoJson(file);
            assertEquals(cells.size(), back.size());
            for (int i = 0; i < cells.size(); i++) {
                assertArrayEquals(cells.get(i).raster().runs(), back.get(i).raster().runs(), "mask " + i);
                assertArrayEquals(cells.get(i).bbox(), back.get(i).bbox(), "mask " + i);
                assertEquals(Mask.Source.AUTOMATIC, back.get(i).source());
            }
        }
    }
}
