package org.cellpilot.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cellpilot.RgbImage;
import org.junit.jupiter.api.Test;

/** Synthetic slides: dark blue (hematoxylin) discs on a pale pink (eosin) background with pixel noise. */
class HematoxylinDetectorTest {
    private static final int W = 240;
    private static final int H = 160;
    /*
     * Colours by Beer–Lambert with the H&E vectors h ≈ (0.651, 0.701, 0.290), e ≈ (0.070, 0.991, 0.110):
     * pixel = 256·10^−OD − 1. The background is 0.1 OD of eosin; a faint smudge adds 0.03 OD of hematoxylin, half
     * the default floor; a nucleus is some 0.85 OD of hematoxylin.
     */
    private static final int[] NUCLEUS = {70, 60, 150};
    private static final int[] BACKGROUND = {251, 203, 249};
    private static final int[] FAINT = {240, 193, 244};

    private record Disc(int cx, int cy, int r) {
        int[] box() {
            return new int[] {cx - r, cy - r, cx + r + 1, cy + r + 1};
        }
    }

    private static final List<Disc> SEPARATE = List.of(new Disc(30, 30, 7), new Disc(80, 35, 7), new Disc(140, 28, 6),
            new Disc(200, 40, 9), new Disc(35, 110, 7), new Disc(100, 120, 8));
    /** Radius 8, centres 15 apart: they overlap in a neck about 5 px wide. */
    private static final List<Disc> TOUCHING = List.of(new Disc(160, 115, 8), new Disc(175, 115, 8));

    @Test
    void findsSeparateDiscsAndSplitsTheTouchingPair() {
        List<Disc> all = new ArrayList<>(SEPARATE);
        all.addAll(TOUCHING);
        List<Nucleus> nuclei = new HematoxylinDetector().detect(slide(all, 1));
        assertEquals(SEPARATE.size() + 2, nuclei.size());
        for (Disc d : SEPARATE) {
            Nucleus n = nucleusAt(nuclei, d);
            for (int i = 0; i < 4; i++) {
                assertEquals(d.box()[i], n.box()[i], 2, "side " + i + " of the box around " + d);
            }
            double area = Math.PI * d.r() * d.r();
            assertEquals(area, n.raster().area(), 0.25 * area, "area of " + d);
        }
        Nucleus left = nucleusAt(nuclei, TOUCHING.get(0));
        Nucleus right = nucleusAt(nuclei, TOUCHING.get(1));
        assertNotEquals(left, right, "the touching discs are two nuclei");
        // Outer sides follow the discs; the cut runs through the neck at x = 167.5.
        assertEquals(152, left.box()[0], 2);
        assertEquals(184, right.box()[2], 2);
        assertEquals(168, left.box()[2], 2);
        assertEquals(167, right.box()[0], 2);
    }

    @Test
    void nucleiCarryTheirOwnMaskAndNoType() {
        for (Nucleus n : new HematoxylinDetector().detect(slide(SEPARATE, 2))) {
            assertNull(n.type());
            assertTrue(Double.isNaN(n.typeProbability()));
            assertArrayEquals(n.raster().bounds(), n.box());
            int cx = (n.box()[0] + n.box()[2]) / 2;
            int cy = (n.box()[1] + n.box()[3]) / 2;
            assertTrue(n.raster().contains(cx, cy), "a disc's mask holds its centre");
        }
    }

    @Test
    void areaLimitsDropSpecksAndBlobs() {
        // Radius 3 (≈ 29 px) and 15 (≈ 707 px) fall outside 60..400; radius 7 (≈ 154 px) is kept.
        List<Disc> discs = List.of(new Disc(40, 40, 3), new Disc(120, 60, 7), new Disc(190, 100, 15));
        HematoxylinDetector detector = HematoxylinDetector.builder().area(60, 400).build();
        List<Nucleus> nuclei = detector.detect(slide(discs, 3));
        assertEquals(1, nuclei.size());
        assertTrue(nuclei.get(0).raster().contains(120, 60));
    }

    @Test
    void faintSmudgesBelowTheHematoxylinFloorAreNotNuclei() {
        // Nucleus-sized smudges of 0.03 OD hematoxylin, half the floor. Otsu alone must split the field somewhere
        // and calls them nuclei, being the darkest thing in it.
        List<Disc> smudges = List.of(new Disc(50, 50, 8), new Disc(150, 90, 8), new Disc(200, 30, 6));
        assertEquals(List.of(), new HematoxylinDetector().detect(slide(smudges, FAINT, 4)));
        List<Nucleus> unfloored = HematoxylinDetector.builder().minHematoxylin(0).build().detect(slide(smudges, FAINT, 4));
        for (Disc d : smudges) {
            nucleusAt(unfloored, d);
        }
        byte[] white = new byte[W * H * 3];
        java.util.Arrays.fill(white, (byte) 255);
        assertEquals(List.of(), new HematoxylinDetector().detect(RgbImage.of(white, W, H, 3)));
    }

    @Test
    void concurrentCallsAgreeWithASequentialOne() throws Exception {
        List<Disc> all = new ArrayList<>(SEPARATE);
        all.addAll(TOUCHING);
        RgbImage image = slide(all, 5);
        HematoxylinDetector detector = new HematoxylinDetector();
        List<int[]> expected = detector.detect(image).stream().map(Nucleus::box).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Nucleus>>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> detector.detect(image)));
            }
            for (Future<List<Nucleus>> run : runs) {
                List<int[]> boxes = run.get().stream().map(Nucleus::box).toList();
                assertEquals(expected.size(), boxes.size());
                for (int i = 0; i < boxes.size(); i++) {
                    assertArrayEquals(expected.get(i), boxes.get(i), "nucleus " + i + " in the same place and order");
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void builderRefusesImpossibleParameters() {
        assertThrows(IllegalArgumentException.class, () -> HematoxylinDetector.builder().smoothing(4));
        assertThrows(IllegalArgumentException.class, () -> HematoxylinDetector.builder().openingSize(2));
        assertThrows(IllegalArgumentException.class, () -> HematoxylinDetector.builder().area(50, 10));
        assertThrows(IllegalArgumentException.class, () -> HematoxylinDetector.builder().splitDepth(-1));
        assertThrows(IllegalArgumentException.class, () -> HematoxylinDetector.builder().minSeparation(Double.NaN));
    }

    private static Nucleus nucleusAt(List<Nucleus> nuclei, Disc d) {
        List<Nucleus> hits = nuclei.stream().filter(n -> n.raster().contains(d.cx(), d.cy())).toList();
        assertEquals(1, hits.size(), "nuclei holding the centre of " + d);
        assertNotNull(hits.get(0));
        return hits.get(0);
    }

    private static RgbImage slide(List<Disc> discs, long seed) {
        return slide(discs, NUCLEUS, seed);
    }

    /** The discs painted in {@code ink} over the background, every channel jittered by up to ±6 levels. */
    private static RgbImage slide(List<Disc> discs, int[] ink, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[W * H * 3];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean inside = false;
                for (Disc d : discs) {
                    inside |= (x - d.cx()) * (x - d.cx()) + (y - d.cy()) * (y - d.cy()) <= d.r() * d.r();
                }
                int[] colour = inside ? ink : BACKGROUND;
                for (int c = 0; c < 3; c++) {
                    pixels[(y * W + x) * 3 + c] = (byte) Math.max(0, Math.min(255, colour[c] + random.nextInt(13) - 6));
                }
            }
        }
        return RgbImage.of(pixels, W, H, 3);
    }
}
