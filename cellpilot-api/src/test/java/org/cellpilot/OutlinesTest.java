package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cellpilot.testing.OgcOutlines;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;

class OutlinesTest {
    /** Pixels drawn as text, '#' set, with the first row's first character at (x0, y0). */
    static MaskRaster raster(int x0, int y0, String... rows) {
        return MaskRaster.of(x0, y0, rows[0].length(), rows.length, (x, y) -> rows[y - y0].charAt(x - x0) == '#');
    }

    /** Same pixels; an empty raster has no position to compare. */
    static void assertSameRaster(MaskRaster expected, MaskRaster actual) {
        assertEquals(expected.isEmpty(), actual.isEmpty(), "empty");
        if (expected.isEmpty()) {
            return;
        }
        assertArrayEquals(expected.bounds(), actual.bounds(), "bounds");
        assertArrayEquals(expected.runs(), actual.runs(), "runs");
    }

    /** The consumers' rules (OgcOutlines) on the mask's GeoJSON geometry, and our own reader gives the mask back. */
    static void assertRoundTrip(MaskRaster r) {
        Mask m = new Mask(1, r, 1, null, Double.NaN, Mask.Source.AUTOMATIC, List.of());
        @SuppressWarnings("unchecked")
        Geometry g = OgcOutlines.fromGeoJson((Map<String, Object>) Json.parse(Exports.geoJsonGeometry(m)));
        int[] b = r.bounds();
        OgcOutlines.assertOutlines(g, r::contains, r.area(), b[0] - 1, b[1] - 1, b[2] + 1, b[3] + 1);
        assertSameRaster(r, Outlines.fill(Outlines.trace(r)));
    }

    @Test
    void singlePixelIsItsSquareCounterClockwiseAsWritten() {
        MaskRaster r = raster(7, 3, "#");
        assertEquals(List.of(new Polygon(new int[] {7, 3, 8, 3, 8, 4, 7, 4}, List.of())), Outlines.trace(r));
        assertRoundTrip(r);
    }

    @Test
    void rectangleHasFourCornersAndNoCollinearPoints() {
        MaskRaster r = raster(10, 20,
                "###",
                "###");
        assertEquals(List.of(new Polygon(new int[] {10, 20, 13, 20, 13, 22, 10, 22}, List.of())), Outlines.trace(r));
        assertRoundTrip(r);
    }

    @Test
    void holeRunsClockwiseAroundTheMissingPixel() {
        MaskRaster r = raster(5, 5,
                "###",
                "#.#",
                "###");
        assertEquals(List.of(new Polygon(new int[] {5, 5, 8, 5, 8, 8, 5, 8}, List.of(new int[] {6, 6, 6, 7, 7, 7, 7, 6}))),
                Outlines.trace(r));
        assertRoundTrip(r);
    }

    @Test
    void pixelsTouchingOnlyDiagonallyAreSeparateParts() {
        MaskRaster diagonal = raster(1, 1,
                "##..",
                "##..",
                "..##",
                "..##");
        assertEquals(2, Outlines.trace(diagonal).size());
        assertRoundTrip(diagonal);
        MaskRaster cross = raster(0, 0,
                "#...#",
                ".#.#.",
                "..#..",
                ".#.#.",
                "#...#");
        assertEquals(9, Outlines.trace(cross).size());
        assertRoundTrip(cross);
        assertRoundTrip(raster(2, 2,
                "#....",
                ".#...",
                "..#..",
                "...#.",
                "....#"));
        MaskRaster diamond = raster(0, 0,
                ".#.",
                "#.#",
                ".#.");
        assertEquals(4, Outlines.trace(diamond).size(), "no hole: the centre touches the outside at corners");
        assertRoundTrip(diamond);
    }

    @Test
    void holeTouchingTheShellAtACornerIsAHoleNotAPinchedShell() {
        MaskRaster r = raster(0, 0,
                "###",
                "#.#",
                "##.");
        List<Polygon> polygons = Outlines.trace(r);
        assertEquals(1, polygons.size());
        assertEquals(1, polygons.get(0).holes().size());
        assertRoundTrip(r);
    }

    @Test
    void holesTouchingEachOtherAtACornerStaySeparateHoles() {
        MaskRaster r = raster(0, 0,
                "####",
                "#.##",
                "##.#",
                "####");
        assertEquals(2, Outlines.trace(r).get(0).holes().size());
        assertRoundTrip(r);
        assertRoundTrip(raster(0, 0,
                "#####",
                "#.#.#",
                "##.##",
                "#.#.#",
                "#####"));
    }

    @Test
    void onePixelLinesAndBridgesRoundTrip() {
        assertRoundTrip(raster(0, 0, "######"));
        assertRoundTrip(raster(3, 1, "#", "#", "#", "#"));
        MaskRaster bridged = raster(0, 0,
                "###....###",
                "##########",
                "###....###");
        assertEquals(1, Outlines.trace(bridged).size());
        assertRoundTrip(bridged);
        assertRoundTrip(raster(0, 0,
                "##.##",
                "##.##",
                "#####"));
        MaskRaster apart = raster(0, 0, "##.##");
        assertEquals(2, Outlines.trace(apart).size());
        assertRoundTrip(apart);
    }

    @Test
    void concaveShapesRoundTrip() {
        assertRoundTrip(raster(4, 9,
                "#...#",
                "#...#",
                "#...#",
                "#####"));
        assertRoundTrip(raster(0, 0,
                "#####",
                "#....",
                "#####",
                "....#",
                "#####"));
        assertRoundTrip(raster(0, 0,
                "..#..",
                ".###.",
                "#####",
                ".#.#.",
                "#...#"));
    }

    @Test
    void holesWithinHolesGiveAPolygonPerIsland() {
        MaskRaster r = raster(0, 0,
                "#########",
                "#.......#",
                "#.#####.#",
                "#.#...#.#",
                "#.#.#.#.#",
                "#.#...#.#",
                "#.#####.#",
                "#.......#",
                "#########");
        List<Polygon> polygons = Outlines.trace(r);
        assertEquals(3, polygons.size());
        assertEquals(List.of(1, 1, 0), polygons.stream().map(p -> p.holes().size()).toList());
        assertRoundTrip(r);
    }

    @Test
    void masksAtTheImageBorderHaveCornersAtZero() {
        MaskRaster r = raster(0, 0,
                "##.",
                "#..");
        assertEquals(List.of(new Polygon(new int[] {0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2}, List.of())), Outlines.trace(r));
        assertRoundTrip(r);
    }

    @Test
    void randomMasksRoundTripExactly() {
        Random random = new Random(20240611);
        for (int trial = 0; trial < 3000; trial++) {
            int w = 1 + random.nextInt(12);
            int h = 1 + random.nextInt(12);
            double density = 0.2 + 0.7 * random.nextDouble();
            boolean[] bits = new boolean[w * h];
            for (int i = 0; i < bits.length; i++) {
                bits[i] = random.nextDouble() < density;
            }
            int x0 = random.nextInt(50);
            int y0 = random.nextInt(50);
            assertRoundTrip(MaskRaster.of(x0, y0, w, h, (x, y) -> bits[(y - y0) * w + x - x0]));
        }
    }

    @Test
    void randomBlobsRoundTrip() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int w = 20 + random.nextInt(40);
            int h = 20 + random.nextInt(40);
            double[][] discs = new double[1 + random.nextInt(6)][];
            for (int i = 0; i < discs.length; i++) {
                discs[i] = new double[] {random.nextDouble() * w, random.nextDouble() * h, 2 + random.nextDouble() * 10, random.nextDouble()};
            }
            assertRoundTrip(MaskRaster.of(0, 0, w, h, (x, y) -> {
                // Discs, with every fourth one cutting a hole, so blobs get holes, bridges and diagonal contacts.
                boolean set = false;
                for (double[] d : discs) {
                    if (Math.hypot(x - d[0], y - d[1]) < d[2]) {
                        set = d[3] > 0.25;
                    }
                }
                return set;
            }));
        }
    }

    @Test
    void fillTakesThePixelsWhoseCentresAreInside() {
        Polygon frame = new Polygon(new int[] {0, 0, 4, 0, 4, 4, 0, 4}, List.of(new int[] {1, 1, 1, 3, 3, 3, 3, 1}));
        MaskRaster r = Outlines.fill(List.of(frame));
        assertEquals(12, r.area());
        assertTrue(r.contains(0, 0) && r.contains(3, 3) && !r.contains(1, 1) && !r.contains(2, 2) && !r.contains(4, 4));
    }

    @Test
    void fillCountsACentreOnADiagonalEdgeAsRightOfIt() {
        // The edge from (0, 0) to (4, 4) passes through the centres (k + 1/2, k + 1/2).
        MaskRaster r = Outlines.fill(List.of(new Polygon(new int[] {0, 0, 4, 4, 0, 4}, List.of())));
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(x < y, r.contains(x, y), "(" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void fillOfNothingIsEmpty() {
        assertTrue(Outlines.fill(List.of()).isEmpty());
        assertTrue(Outlines.trace(Outlines.fill(List.of())).isEmpty());
    }

    @Test
    void polygonIsImmutableAndRefusesOddCoordinates() {
        int[] ring = {1, 2, 3, 4, 5, 6};
        Polygon p = new Polygon(ring, List.of());
        ring[0] = 99;
        p.exterior()[1] = 99;
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, p.exterior());
        assertThrows(IllegalArgumentException.class, () -> new Polygon(new int[] {1, 2, 3, 4, 5}, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Polygon(new int[] {1, 2, 3, 4}, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Polygon(ring, List.of(new int[0])));
    }

    @Test
    void maskCachesItsPolygons() {
        Mask m = new Mask(1, raster(0, 0, "##", "##"), 0.9, null, Double.NaN, Mask.Source.INTERACTIVE, List.of());
        assertTrue(m.polygons() == m.polygons());
        assertEquals(List.of(new Polygon(new int[] {0, 0, 2, 0, 2, 2, 0, 2}, List.of())), m.polygons());
    }
}
