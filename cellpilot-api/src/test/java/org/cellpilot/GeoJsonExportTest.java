package org.cellpilot;

import static org.cellpilot.OutlinesTest.assertSameRaster;
import static org.cellpilot.OutlinesTest.raster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cellpilot.testing.OgcOutlines;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoJsonExportTest {
    private static final Mask CELL = new Mask(7, raster(10, 20,
            "###",
            "###",
            "###"), 0.93, CellType.NEOPLASTIC, 0.87, Mask.Source.AUTOMATIC, List.of(Prompt.box(9.5, 19.5, 13, 23)));
    private static final Mask GLAND = new Mask(12, raster(40, 30,
            "#####...##",
            "#.#.#...##",
            "#####....."), 0.71, null, Double.NaN, Mask.Source.INTERACTIVE,
            List.of(Prompt.positive(42.25, 31).and(Prompt.box(39, 29, 46, 35)), Prompt.negative(42, 32)));
    private static final Mask PIXEL = new Mask(3, raster(0, 5, "#"), 1.0, CellType.DEAD, 0.5, Mask.Source.AUTOMATIC, List.of());
    private static final Mask LINE = new Mask(4, raster(3, 3,
            "#...",
            ".#..",
            "..##"), 0.25, CellType.EPITHELIAL, Double.NaN, Mask.Source.AUTOMATIC, List.of());
    private static final Mask EMPTY = new Mask(5, raster(8, 8, "."), 0.1, null, Double.NaN, Mask.Source.INTERACTIVE,
            List.of(Prompt.positive(8, 8)));

    private static String write(List<Mask> masks) throws IOException {
        StringWriter out = new StringWriter();
        Exports.writeGeoJson(masks, out);
        return out.toString();
    }

    private static List<Mask> read(String text) throws IOException {
        return Exports.readGeoJson(new StringReader(text));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> feature(String json, int i) {
        return (Map<String, Object>) ((List<Object>) ((Map<String, Object>) Json.parse(json)).get("features")).get(i);
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Map<String, Object> o, String... keys) {
        Object v = o;
        for (String k : keys) {
            v = ((Map<String, Object>) v).get(k);
        }
        return (T) v;
    }

    @Test
    void roundTripKeepsPixelsTypeScoresSourceAndPrompts(@TempDir Path dir) throws IOException {
        List<Mask> masks = List.of(CELL, GLAND, PIXEL, LINE);
        Path file = dir.resolve("masks.geojson");
        Exports.writeGeoJson(masks, file);
        List<Mask> back = Exports.readGeoJson(file);
        assertEquals(masks.size(), back.size());
        for (int i = 0; i < masks.size(); i++) {
            Mask a = masks.get(i);
            Mask b = back.get(i);
            assertEquals(a.id(), b.id());
            assertSameRaster(a.raster(), b.raster());
            assertEquals(a.type(), b.type());
            assertEquals(a.typeProbability(), b.typeProbability());
            assertEquals(a.predictedIou(), b.predictedIou());
            assertEquals(a.source(), b.source());
            assertEquals(a.prompts(), b.prompts());
        }
        assertEquals(write(masks), write(back), "a reloaded file writes the same text, ids included");
    }

    @Test
    void featuresFollowQuPathConventions() throws IOException {
        String json = write(List.of(CELL, GLAND));
        assertEquals("FeatureCollection", ((Map<?, ?>) Json.parse(json)).get("type"));
        Map<String, Object> cell = feature(json, 0);
        assertEquals("Feature", cell.get("type"));
        UUID.fromString((String) cell.get("id"));
        assertEquals("Polygon", at(cell, "geometry", "type"));
        assertEquals(List.of(List.of(List.of(10L, 20L), List.of(13L, 20L), List.of(13L, 23L), List.of(10L, 23L), List.of(10L, 20L))),
                at(cell, "geometry", "coordinates"), "around the pixel squares, counter-clockwise as written");
        assertEquals("detection", at(cell, "properties", "objectType"));
        assertEquals("Neoplastic", at(cell, "properties", "classification", "name"));
        assertEquals(List.of(255L, 0L, 0L), at(cell, "properties", "classification", "color"));
        assertEquals(Map.of("Area px^2", 9L, "Predicted IoU", 0.93, "Type probability", 0.87), at(cell, "properties", "measurements"));
        assertEquals(7L, (Long) at(cell, "properties", "cellpilotId"));
        assertEquals("AUTOMATIC", at(cell, "properties", "source"));
        assertEquals(List.of(Map.of("points", List.of(), "box", List.of(9.5, 19.5, 13.0, 23.0))), at(cell, "properties", "prompts"));

        Map<String, Object> gland = feature(json, 1);
        assertEquals("annotation", at(gland, "properties", "objectType"));
        assertFalse(((Map<?, ?>) gland.get("properties")).containsKey("classification"));
        assertEquals(Map.of("Area px^2", 17L, "Predicted IoU", 0.71), at(gland, "properties", "measurements"));
        assertEquals("MultiPolygon", at(gland, "geometry", "type"));
        List<List<List<Object>>> parts = at(gland, "geometry", "coordinates");
        assertEquals(2, parts.size());
        assertEquals(List.of(1, 3), parts.stream().map(List::size).sorted().toList(), "a square, and a frame with two holes");
        for (List<List<Object>> rings : parts) {
            for (List<Object> ring : rings) {
                assertEquals(ring.get(0), ring.get(ring.size() - 1), "closed");
            }
        }
        assertEquals(Map.of("points", List.of(Map.of("x", 42.25, "y", 31.0, "positive", true)), "box", List.of(39.0, 29.0, 46.0, 35.0)),
                ((List<?>) at(gland, "properties", "prompts")).get(0));
    }

    @Test
    void everyFeatureIsValidForJtsWithItsPixelCountAsArea() throws IOException {
        List<Mask> masks = List.of(CELL, GLAND, PIXEL, LINE);
        String json = write(masks);
        for (int i = 0; i < masks.size(); i++) {
            Map<String, Object> f = feature(json, i);
            MaskRaster r = masks.get(i).raster();
            int[] b = r.bounds();
            long area = (Long) at(f, "properties", "measurements", "Area px^2");
            assertEquals(r.area(), area);
            OgcOutlines.assertOutlines(OgcOutlines.fromGeoJson(at(f, "geometry")), r::contains, area, b[0] - 1, b[1] - 1, b[2] + 1, b[3] + 1);
        }
        assertEquals("MultiPolygon", at(feature(json, 3), "geometry", "type"), "diagonal neighbours are separate parts");
    }

    @Test
    void onePixelIsItsSquareAndAnEmptyMaskIsLeftOut() throws IOException {
        Map<String, Object> pixel = feature(write(List.of(PIXEL)), 0);
        assertEquals(List.of(List.of(List.of(0L, 5L), List.of(1L, 5L), List.of(1L, 6L), List.of(0L, 6L), List.of(0L, 5L))),
                at(pixel, "geometry", "coordinates"));
        assertEquals(List.of(CELL.id()), read(write(List.of(EMPTY, CELL, EMPTY.withId(6)))).stream().map(Mask::id).toList());
        assertEquals("{\"type\":\"MultiPolygon\",\"coordinates\":[]}", Exports.geoJsonGeometry(EMPTY).replace(" ", ""));
    }

    @Test
    void uuidsAreStablePerMaskAndDistinctBetweenMasks() throws IOException {
        String id = (String) feature(write(List.of(CELL)), 0).get("id");
        assertEquals(id, feature(write(List.of(GLAND, CELL)), 1).get("id"));
        assertNotEquals(id, feature(write(List.of(CELL.withId(8))), 0).get("id"));
        assertNotEquals(id, feature(write(List.of(GLAND)), 0).get("id"));
    }

    @Test
    void qupathFeaturesWithoutCellPilotPropertiesRead() throws IOException {
        String json = """
                {"type": "FeatureCollection", "features": [
                  {"type": "Feature", "id": "x", "geometry": {"type": "Polygon",
                    "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]},
                   "properties": {"objectType": "annotation", "classification": {"name": "Inflammatory", "color": [1, 2, 3]}}}]}
                """;
        Mask m = read(json).get(0);
        assertEquals(1, m.id());
        assertEquals(Mask.Source.INTERACTIVE, m.source());
        assertEquals(CellType.INFLAMMATORY, m.type().orElseThrow());
        assertTrue(Double.isNaN(m.predictedIou()) && Double.isNaN(m.typeProbability()));
        assertEquals(List.of(), m.prompts());
        assertSameRaster(raster(0, 0, "##", "##"), m.raster());
    }

    private static final String VALID_FEATURE = """
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[1, 1], [3, 1], [3, 3], [1, 1]]]},
             "properties": {"objectType": "detection", "cellpilotId": 1, "prompts": [{"points": [], "box": [0, 0, 4, 4]}]}}""";

    private static void assertRefused(String json, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(json));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message \"" + e.getMessage() + "\" lacks \"" + f + "\"");
        }
    }

    private static String collection(String... features) {
        return "{\"type\": \"FeatureCollection\", \"features\": [" + String.join(",", features) + "]}";
    }

    private static String validWith(String from, String to) {
        assertTrue(VALID_FEATURE.contains(from), from);
        return collection(VALID_FEATURE.replace(from, to));
    }

    @Test
    void theValidTemplateReads() throws IOException {
        // Pixels (1, 1), (2, 1) and (2, 2): the first and last have their centres on the diagonal edge, with the
        // triangle to their right.
        assertSameRaster(raster(1, 1, "##", ".#"), read(collection(VALID_FEATURE)).get(0).raster());
    }

    @Test
    void malformedInputIsRefusedWithItsLocation() {
        assertRefused("[1, 2]", "document", "expected an object");
        assertRefused("{\"type\": \"Feature\"}", "FeatureCollection");
        assertRefused("{\"type\": \"FeatureCollection\", \"features\": [}", "JSON");
        assertRefused(validWith("\"Feature\"", "\"Point\""), "features[0].type");
        assertRefused(validWith("[3, 1]", "[3.5, 1]"), "features[0].geometry.coordinates[0][1][0]", "bad coordinate");
        assertRefused(validWith("[3, 1]", "[3, -1]"), "features[0].geometry.coordinates[0][1][1]", "bad coordinate");
        assertRefused(validWith("[3, 1]", "[3, 1, 0]"), "coordinates[0][1]", "[x, y]");
        assertRefused(validWith("[3, 1]", "\"3,1\""), "coordinates[0][1]", "expected an array");
        assertRefused(validWith("[3, 3], [1, 1]]", "[3, 3], [1, 2]]"), "coordinates[0]", "not closed");
        assertRefused(validWith("[[[1, 1], [3, 1], [3, 3], [1, 1]]]", "[[[1, 1], [3, 3], [1, 1]]]"), "at least 4 positions");
        assertRefused(validWith("\"coordinates\": [[[1, 1], [3, 1], [3, 3], [1, 1]]]", "\"coordinates\": []"), "exterior ring");
        assertRefused(validWith("\"Polygon\"", "\"LineString\""), "features[0].geometry.type", "unsupported geometry type");
        assertRefused(validWith("\"detection\"", "\"cell\""), "features[0].properties.objectType", "unknown objectType \"cell\"");
        assertRefused(validWith("\"objectType\": \"detection\", ", ""), "objectType", "expected a string");
        assertRefused(validWith("\"cellpilotId\": 1", "\"cellpilotId\": 1, \"source\": \"MAGIC\""), "properties.source", "MAGIC");
        assertRefused(validWith("\"cellpilotId\": 1", "\"cellpilotId\": 1, \"classification\": {\"name\": \"Tumor\"}"),
                "classification.name", "Tumor");
        assertRefused(validWith("\"cellpilotId\": 1", "\"cellpilotId\": 1.5"), "cellpilotId", "integer");
        assertRefused(validWith("\"cellpilotId\": 1", "\"cellpilotId\": 1, \"measurements\": {\"Predicted IoU\": \"high\"}"),
                "Predicted IoU", "number");
        assertRefused(validWith("[0, 0, 4, 4]", "[4, 0, 0, 4]"), "properties.prompts[0].box", "x1 > x0");
        assertRefused(validWith("[0, 0, 4, 4]", "[0, 0, 4]"), "prompts[0].box");
        assertRefused(validWith("{\"points\": [], \"box\": [0, 0, 4, 4]}", "{}"), "prompts[0]", "points or a box");
        assertRefused(validWith("\"points\": []", "\"points\": [{\"x\": 1, \"y\": 2, \"positive\": 1}]"), "points[0].positive");
        assertRefused(collection(VALID_FEATURE, VALID_FEATURE), "features[1].properties.cellpilotId", "duplicate id 1");
    }
}
