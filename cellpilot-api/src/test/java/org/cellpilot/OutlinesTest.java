package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

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

    private static void assertRoundTrip(MaskRaster r) {
        assertSameRaster(r, Outlines.fill(Outlines.trace(r)));
    }

    private static Set<List<Integer>> vertices(int[] ring) {
        Set<List<Integer>> out = new HashSet<>();
        for (int i = 0; i < ring.length; i += 2) {
            out.add(List.of(ring[i], ring[i + 1]));
        }
        return out;
    }

    @Test
    void singlePixelIsOneVertexAtItsCentre() {
        MaskRaster r = raster(7, 3, "#");
        assertEquals(List.of(new Polygon(new int[] {7, 3}, List.of())), Outlines.trace(r));
        assertRoundTrip(r);
    }

    @Test
    void squareRingRunsThroughTheCornerPixelCentresDownTheLeftSideFirst() {
        MaskRaster r = raster(10, 20,
                "###",
                "###",
                "###");
        assertEquals(List.of(new Polygon(new int[] {10, 20, 10, 22, 12, 22, 12, 20}, List.of())), Outlines.trace(r));
        assertRoundTrip(r);
    }

    @Test
    void oneHoleGivesADiamondThroughTheFourPixelsAroundIt() {
        MaskRaster r = raster(5, 5,
                "###",
                "#.#",
                "###");
        List<Polygon> polygons = Outlines.trace(r);
        assertEquals(1, polygons.size());
        assertEquals(1, polygons.get(0).holes().size());
        assertEquals(Set.of(List.of(6, 5), List.of(5, 6), List.of(7, 6), List.of(6, 7)), vertices(polygons.get(0).holes().get(0)));
        assertRoundTrip(r);
    }

    @Test
    void onePixelWideLinesRoundTrip() {
        assertRoundTrip(raster(0, 0, "######"));
        assertRoundTrip(raster(3, 1, "#", "#", "#", "#"));
        assertRoundTrip(raster(2, 2,
                "#....",
                ".#...",
                "..#..",
                "...#.",
                "....#"));
        assertRoundTrip(raster(0, 0,
                "....#",
                "...#.",
                "..#..",
                ".#...",
                "#...."));
        assertRoundTrip(raster(0, 0,
                "#...#",
                ".#.#.",
                "..#..",
                ".#.#.",
                "#...#"));
    }

    @Test
    void touchingBlobsRoundTrip() {
        MaskRaster diagonal = raster(1, 1,
                "##..",
                "##..",
                "..##",
                "..##");
        assertEquals(1, Outlines.trace(diagonal).size(), "8-connected: one part");
        assertRoundTrip(diagonal);
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
    void islandInAHoleIsAPolygonOfItsOwn() {
        MaskRaster r = raster(0, 0,
                "#######",
                "#.....#",
                "#.###.#",
                "#.#.#.#",
                "#.###.#",
                "#.....#",
                "#######");
        List<Polygon> polygons = Outlines.trace(r);
        assertEquals(2, polygons.size());
        assertEquals(1, polygons.get(0).holes().size());
        assertEquals(1, polygons.get(1).holes().size());
        assertRoundTrip(r);
    }

    @Test
    void holesTouchingTheOuterBorderAndEachOtherRoundTrip() {
        assertRoundTrip(raster(0, 0,
                "#####",
                "#.#.#",
                "##.##",
                "#.#.#",
                "#####"));
        assertRoundTrip(raster(0, 0,
                "####",
                "#..#",
                "#.##",
                "####"));
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
            MaskRaster r = MaskRaster.of(x0, y0, w, h, (x, y) -> bits[(y - y0) * w + x - x0]);
            assertSameRaster(r, Outlines.fill(Outlines.trace(r)));
        }
    }

    @Test
    void fillKeepsRingPixelsOfHolesAndDropsTheirStrictInterior() {
        Polygon frame = new Polygon(new int[] {0, 0, 4, 0, 4, 4, 0, 4}, List.of(new int[] {1, 1, 3, 1, 3, 3, 1, 3}));
        MaskRaster r = Outlines.fill(List.of(frame));
        assertEquals(24, r.area());
        assertTrue(r.contains(1, 1) && r.contains(2, 1) && r.contains(3, 3));
        assertTrue(!r.contains(2, 2));
    }

    @Test
    void fillTakesDiagonalEdgesThroughPixelCentres() {
        MaskRaster r = Outlines.fill(List.of(new Polygon(new int[] {0, 0, 4, 4, 0, 4}, List.of())));
        assertEquals(15, r.area());
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(x <= y, r.contains(x, y), "(" + x + ", " + y + ")");
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
        int[] ring = {1, 2, 3, 4};
        Polygon p = new Polygon(ring, List.of());
        ring[0] = 99;
        p.exterior()[1] = 99;
        assertArrayEquals(new int[] {1, 2, 3, 4}, p.exterior());
        assertThrows(IllegalArgumentException.class, () -> new Polygon(new int[] {1, 2, 3}, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Polygon(new int[] {1, 2}, List.of(new int[0])));
    }

    @Test
    void maskCachesItsPolygons() {
        Mask m = new Mask(1, raster(0, 0, "##", "##"), 0.9, null, Double.NaN, Mask.Source.INTERACTIVE, List.of());
        assertTrue(m.polygons() == m.polygons());
        assertEquals(List.of(new Polygon(new int[] {0, 0, 0, 1, 1, 1, 1, 0}, List.of())), m.polygons());
    }
}
