package org.cellpilot;

import static org.cellpilot.OutlinesTest.raster;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.Raster;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.cellpilot.testing.CocoRle;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The COCO file as pycocotools reads it (cocodataset/cocoapi, PythonAPI/pycocotools/coco.py and cocoeval.py, and
 * the string codec rleToString/rleFrString of common/maskApi.c).
 */
class CocoExportTest {
    private static Mask mask(long id, MaskRaster r, double iou) {
        return new Mask(id, r, iou, null, Double.NaN, Mask.Source.AUTOMATIC, List.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> coco(List<Mask> masks, int width, int height) throws IOException {
        StringWriter out = new StringWriter();
        Exports.writeCoco(masks, "slide.png", width, height, out);
        return (Map<String, Object>) Json.parse(out.toString());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> annotations(Map<String, Object> doc) {
        return (List<Map<String, Object>>) doc.get("annotations");
    }

    @SuppressWarnings("unchecked")
    private static String counts(Map<String, Object> annotation) {
        return (String) ((Map<String, Object>) annotation.get("segmentation")).get("counts");
    }

    /**
     * Expected strings worked out by hand from the definition (runs column-major, starting with background; from
     * the fourth run on the difference from the run two before; 5-bit groups, low first, as 48 + group, 0x20 =
     * "more follows", 0x10 of the last group = sign).
     */
    @Test
    void compressedCountsMatchHandEncodings() throws IOException {
        // 3 wide, 2 high; column-major order (0,0) (0,1) (1,0) (1,1) (2,0) (2,1): runs 1, 4, 1 -> "1", "4", "1".
        Mask shape = mask(1, raster(0, 0,
                ".##",
                "##."), 0.8);
        assertEquals("141", counts(annotations(coco(List.of(shape), 3, 2)).get(0)));
        // The first pixel set: runs 0, 1, 5.
        assertEquals("015", counts(annotations(coco(List.of(mask(1, raster(0, 0, "#"), 0.8)), 3, 2)).get(0)));

        // 50 wide, 40 high; x = 25, y = 0..19 set: runs 1000, 20, 980.
        // 1000 = 0b11111_01000: groups 8, 31, 0. 8 and 31 have more after them: 8|0x20 = 40 -> 'X'; 31|0x20 = 63
        // -> 'o'; the 0 group that ends it (31 has bit 0x10, which would read as a sign) -> '0'. So "Xo0".
        // 20 = 0b10100: one group, but its 0x10 bit would read as negative, so a 0 group follows: 20|0x20 = 52 ->
        // 'd', then '0'. 980 = 0b11110_10100: groups 20, 30, 0 -> 'd' (52 + 48 = 100), 'n' (30|0x20 = 62 -> 110),
        // '0'.
        Mask column = mask(1, MaskRaster.of(25, 0, 1, 20, (x, y) -> true), 0.8);
        assertEquals("Xo0" + "d0" + "dn0", counts(annotations(coco(List.of(column), 50, 40)).get(0)));

        // 10 wide, 100 high; column 0 whole and (1, 1..3): runs 0, 100, 1, 3, 896.
        // 0 -> '0'. 100 = 0b11_00100: groups 4, 3 -> 'T' (4|0x20 = 36 -> 84), '3'. 1 -> '1'.
        // The fourth run is stored as 3 - 100 = -97: two's complement ...1_11100_11111, groups 31, then 28 with
        // only sign bits left -> 'o' (31|0x20 = 63 -> 111), 'L' (28 -> 76).
        // The fifth as 896 - 1 = 895 = 0b11011_11111: groups 31, 27, 0 -> 'o', 'k' (27|0x20 = 59 -> 107), '0'.
        Mask negative = mask(1, MaskRaster.of(0, 0, 2, 100, (x, y) -> x == 0 || y >= 1 && y <= 3), 0.8);
        assertEquals("0" + "T3" + "1" + "oL" + "ok0", counts(annotations(coco(List.of(negative), 10, 100)).get(0)));

        // 1 wide, 19 high: runs 2, 10, 3, 4, ending with foreground (no empty run after it). 10 -> ':' (58); the
        // fourth run as 4 - 10 = -6 = ...11010: one group 26, with the sign bit -> 'J' (74).
        Mask tail = mask(1, MaskRaster.of(0, 0, 1, 19, (x, y) -> y >= 2 && y < 12 || y >= 15), 0.8);
        assertEquals("2:3J", counts(annotations(coco(List.of(tail), 1, 19)).get(0)));
    }

    /** Every field that COCO(), getAnnIds/getCatIds/getImgIds, annToRLE, loadRes and COCOeval read, with its type. */
    @Test
    @SuppressWarnings("unchecked")
    void fileHasEveryFieldPycocotoolsReads() throws IOException {
        Mask typed = new Mask(4, raster(2, 1, "##", "#."), 0.9, CellType.INFLAMMATORY, 0.7, Mask.Source.AUTOMATIC, List.of());
        Mask untyped = mask(9, raster(0, 3, "###"), Double.NaN);
        Map<String, Object> doc = coco(List.of(typed, untyped), 5, 4);

        List<Map<String, Object>> images = (List<Map<String, Object>>) doc.get("images");
        assertEquals(List.of(Map.of("id", 1L, "file_name", "slide.png", "width", 5L, "height", 4L)), images);

        List<Map<String, Object>> categories = (List<Map<String, Object>>) doc.get("categories");
        Set<Long> categoryIds = new HashSet<>();
        for (Map<String, Object> c : categories) {
            assertTrue(categoryIds.add((Long) c.get("id")), "unique category id");
            assertInstanceOf(String.class, c.get("name"));
            assertInstanceOf(String.class, c.get("supercategory"));
        }
        assertEquals(List.of("Neoplastic", "Inflammatory", "Connective", "Dead", "Epithelial", "object"),
                categories.stream().map(c -> c.get("name")).toList());

        List<Map<String, Object>> annotations = annotations(doc);
        Set<Long> ids = new HashSet<>();
        for (Map<String, Object> a : annotations) {
            long id = (Long) a.get("id");
            assertTrue(id >= 1 && ids.add(id), "unique positive id (COCOeval's matching treats 0 as unmatched)");
            assertEquals(1L, a.get("image_id"));
            assertTrue(categoryIds.contains((Long) a.get("category_id")));
            Map<String, Object> segmentation = (Map<String, Object>) a.get("segmentation");
            assertEquals(List.of(4L, 5L), segmentation.get("size"), "[height, width]");
            assertInstanceOf(String.class, segmentation.get("counts"), "a string: compressed RLE, as loadRes requires");
            assertInstanceOf(Number.class, a.get("area"));
            assertEquals(4, ((List<Object>) a.get("bbox")).size());
            assertEquals(0L, a.get("iscrowd"));
            assertInstanceOf(Number.class, a.get("score"));
        }
        assertEquals("Inflammatory", categories.get(((Long) annotations.get(0).get("category_id")).intValue() - 1).get("name"));
        assertEquals(List.of(2L, 1L, 2L, 2L), annotations.get(0).get("bbox"));
        assertEquals(3L, annotations.get(0).get("area"));
        assertEquals(0.9, annotations.get(0).get("score"));
        assertEquals(1.0, annotations.get(1).get("score"), "no estimate: certain");

        Map<String, Object> plain = coco(List.of(untyped), 5, 4);
        assertEquals(List.of(Map.of("id", 1L, "name", "object", "supercategory", "nucleus")), plain.get("categories"));
        assertEquals(1L, annotations(plain).get(0).get("category_id"));
    }

    @Test
    void geoJsonAndCocoListTheSameObjectsWithoutEmptyOnes() throws IOException {
        List<Mask> masks = List.of(mask(1, raster(0, 0, "#"), 0.5), mask(2, raster(1, 1, "."), 0.5), mask(3, raster(2, 2, "##"), 0.5),
                mask(4, raster(9, 9, "#"), 0.5));
        List<Long> coco = annotations(coco(masks, 5, 5)).stream().map(a -> (Long) a.get("id")).toList();
        StringWriter geoJson = new StringWriter();
        Exports.writeGeoJson(masks.subList(0, 3), geoJson);
        List<Long> features = Exports.readGeoJson(new java.io.StringReader(geoJson.toString())).stream().map(Mask::id).toList();
        assertEquals(List.of(1L, 3L), coco, "the empty mask and the one outside the 5x5 image are left out");
        assertEquals(coco, features);
    }

    /** Random masks that do not overlap: each decoded RLE is exactly its label in the label image. */
    @Test
    void decodedSegmentationsGiveBackTheLabelImage(@TempDir Path dir) throws IOException {
        int width = 37;
        int height = 23;
        Random random = new Random(11);
        int[] owner = new int[width * height];
        List<Mask> masks = new ArrayList<>();
        for (int id = 1; id <= 12; id++) {
            int cx = random.nextInt(width);
            int cy = random.nextInt(height);
            int radius = 1 + random.nextInt(6);
            int label = id;
            MaskRaster r = MaskRaster.of(0, 0, width, height,
                    (x, y) -> owner[y * width + x] == 0 && (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    if (r.contains(x, y)) {
                        owner[y * width + x] = label;
                    }
                }
            }
            masks.add(mask(id, r, 0.5));
        }
        masks.removeIf(m -> m.raster().isEmpty());
        Path labels = dir.resolve("labels.png");
        Exports.writeLabelImage(masks, width, height, labels);
        Raster image = ImageIO.read(labels.toFile()).getRaster();
        for (Map<String, Object> a : annotations(coco(masks, width, height))) {
            boolean[] decoded = CocoRle.decode(counts(a), width, height);
            int label = masks.indexOf(masks.stream().filter(m -> m.id() == (Long) a.get("id")).findFirst().orElseThrow()) + 1;
            long area = 0;
            int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    boolean set = decoded[x * height + y];
                    assertEquals(image.getSample(x, y, 0) == label, set, "(" + x + ", " + y + ") of annotation " + a.get("id"));
                    if (set) {
                        area++;
                        box = new int[] {Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)};
                    }
                }
            }
            assertEquals(area, a.get("area"));
            assertEquals(List.of((long) box[0], (long) box[1], (long) box[2] - box[0] + 1, (long) box[3] - box[1] + 1), a.get("bbox"));
        }
    }

    @Test
    void maskPixelsOutsideTheImageAreDropped() throws IOException {
        Map<String, Object> a = annotations(coco(List.of(mask(1, raster(2, 1, "##"), 0.3)), 3, 2)).get(0);
        assertArrayEquals(new Object[] {2L, 1L, 1L, 1L}, ((List<?>) a.get("bbox")).toArray());
        assertEquals(1L, a.get("area"));
        assertEquals("51", counts(a), "runs 5, 1: the last pixel");
    }
}
