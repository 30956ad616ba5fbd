package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;
import org.cellpilot.detect.HematoxylinDetector;
import org.cellpilot.detect.Nucleus;
import org.cellpilot.detect.NucleusDetector;
import org.cellpilot.imaging.Connectivity;
import org.cellpilot.imaging.Labeling;
import org.cellpilot.testing.OgcOutlines;
import org.cellpilot.testing.TiffFiles;
import org.cellpilot.testing.VipsSlides;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-slide runs on slides that libvips builds from known pictures. */
class SlideRunTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsVips() {
        VipsSlides.assumeVips();
    }

    /** Collects what a run delivers. */
    static final class Collect implements SlideSink {
        final List<Mask> cells = new ArrayList<>();
        final List<String> failed = new ArrayList<>();
        final List<Integer> tiles = new ArrayList<>();

        @Override
        public void accept(SlideTile tile, List<Mask> owned) {
            tiles.add(tile.index());
            cells.addAll(owned);
        }

        @Override
        public void failed(SlideTile tile, Exception reason) {
            failed.add(tile + ": " + reason.getMessage());
        }
    }

    @Test
    void kByKCopiesOfTheSampleGiveKSquaredTimesItsCellsWithNoneTwiceAtSeams() throws IOException {
        int k = 3;
        Path copies = VipsSlides.replicate(VipsSlides.sample(), dir.resolve("copies.png"), k);
        Path tif = VipsSlides.pyramid(copies, dir.resolve("copies.tif"), "deflate", 256);
        int perSample = new HematoxylinDetector().detect(RgbImage.read(VipsSlides.sample())).size();
        try (CellPilot cp = CellPilot.builder().build(); Slide slide = Slide.open(tif)) {
            Collect serial = new Collect();
            List<SlideProgress> progress = new ArrayList<>();
            // 400 px tiles over 1536 px: every copy's seams and many tile seams, which do not coincide.
            SlideSummary s = cp.segmentSlide(slide, SlideOptions.defaults().tiles(400, 128).workers(1).progress(progress::add), serial);
            assertTrue(s.complete(), s.toString());
            SlideProgress last = progress.get(progress.size() - 1);
            assertEquals(List.of(s.tissueTiles(), s.tissueTiles(), (long) serial.cells.size(), 0L),
                    List.of(last.tilesDone(), last.tilesTotal(), last.cells(), last.etaMillis()));
            assertEquals(s.tissueTiles() + 1, progress.size(), "one report before the first tile, then one per tile");
            assertEquals(s.tissueTiles(), serial.tiles.size());
            assertEquals(1.0, serial.cells.size() / (double) (k * k * perSample), 0.04, serial.cells.size() + " cells for " + k * k + " x "
                    + perSample);
            assertNoNearDuplicates(serial.cells);
            Collect parallel = new Collect();
            cp.segmentSlide(slide, SlideOptions.defaults().tiles(400, 128).workers(3), parallel);
            assertEquals(signatures(serial.cells), signatures(parallel.cells), "cells do not depend on the order tiles finish in");
            // Tile by tile, as a cluster would run them (last tile first): the same cells again.
            SlideOptions options = SlideOptions.defaults().tiles(400, 128);
            List<Mask> byTile = new ArrayList<>();
            List<SlideTile> plan = cp.planSlide(slide, options);
            assertEquals(s.tissueTiles(), plan.size());
            for (int i = plan.size() - 1; i >= 0; i--) {
                byTile.addAll(cp.segmentSlideTile(slide, options, plan.get(i)));
            }
            assertEquals(signatures(serial.cells), signatures(byTile));
        }
    }

    /** A detector that expects 0.5 µm/px on a 0.25 µm/px slide: tiles come from level 1 and masks go back to level 0. */
    @Test
    void readsAtTheDetectorsResolutionAndReturnsLevelZeroMasks() throws IOException {
        Path tif = squares();
        try (CellPilot cp = CellPilot.builder().detector(new DarkSquares(0.5)).build(); Slide slide = Slide.open(tif)) {
            Collect c = new Collect();
            SlideSummary s = cp.segmentSlide(slide, SlideOptions.defaults().tiles(256, 64).tissueOnly(false), c);
            assertTrue(s.complete());
            assertEquals(30 * 30, c.cells.size());
            c.cells.forEach(SlideRunTest::assertIsASquare);
        }
    }

    /** A viewer's session on a region read at level 1: masks come back in level-0 pixels, scaled by the downsample. */
    @Test
    void aSessionOnARegionAtLevelOneGivesLevelZeroMasks() throws IOException {
        Path tif = squares();
        try (CellPilot cp = CellPilot.builder().detector(new DarkSquares(0.5)).build(); Slide slide = Slide.open(tif);
             Session s = cp.open(slide, new Rectangle(1000, 1200, 800, 600), 1)) {
            assertEquals(new Rectangle(1000, 1200, 800, 600), s.region());
            List<Mask> masks = s.segmentAutomatically();
            assertEquals(8 * 6, masks.size());
            masks.forEach(SlideRunTest::assertIsASquare);
        }
    }

    private static void assertIsASquare(Mask m) {
        int[] b = m.bbox();
        assertEquals(30, Math.floorMod(b[0], 100), "x of " + m);
        assertEquals(30, Math.floorMod(b[1], 100), "y of " + m);
        assertEquals(40, b[2] - b[0], "width of " + m);
        assertEquals(1600, m.area(), "area of " + m);
    }

    /** 3000² at 0.25 µm/px: 30 × 30 black squares, 40 px wide, every 100 px from (30, 30), on white. */
    private Path squares() throws IOException {
        int side = 3000;
        byte[] rgb = new byte[side * side * 3];
        java.util.Arrays.fill(rgb, (byte) 255);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if (x % 100 >= 30 && x % 100 < 70 && y % 100 >= 30 && y % 100 < 70) {
                    java.util.Arrays.fill(rgb, (y * side + x) * 3, (y * side + x) * 3 + 3, (byte) 0);
                }
            }
        }
        Path png = dir.resolve("squares.png");
        javax.imageio.ImageIO.write(toImage(rgb, side), "png", png.toFile());
        return VipsSlides.pyramid(png, dir.resolve("squares.tif"), "deflate", 256, "--xres", "4000", "--yres", "4000");
    }

    @Test
    void oneCorruptTileIsReportedAndTheOthersFinish() throws IOException {
        Path copies = VipsSlides.replicate(VipsSlides.sample(), dir.resolve("c.png"), 2);
        Path tif = VipsSlides.pyramid(copies, dir.resolve("c.tif"), "jpeg", 256);
        TiffFiles.corruptTile(tif, 0, 5); // column 1, row 1 of 4 x 4 file tiles
        try (CellPilot cp = CellPilot.builder().build(); Slide slide = Slide.open(tif)) {
            Collect c = new Collect();
            SlideSummary s = cp.segmentSlide(slide, SlideOptions.defaults().tiles(300, 64).tissueOnly(false), c);
            assertFalse(s.complete());
            // Exactly the run's tiles that need the broken file tile fail, each naming it; the others finish.
            Rectangle broken = new Rectangle(256, 256, 256, 256);
            int touching = 0;
            // 300 px tiles overlapping by 64 over 1024 px: starts 0, 236, 472, 708 and (moved back to the edge) 724.
            for (int row = 0; row < 5; row++) {
                for (int column = 0; column < 5; column++) {
                    int x = Math.min(column * 236, 1024 - 300);
                    int y = Math.min(row * 236, 1024 - 300);
                    touching += new Rectangle(x, y, 300, 300).intersects(broken) ? 1 : 0;
                }
            }
            assertEquals(touching, s.failures().size(), s.failures().toString());
            assertEquals(touching, c.failed.size());
            s.failures().forEach(f -> assertTrue(f.contains("tile (1, 1)") && f.contains("c.tif"), f));
            assertEquals(s.tiles() - touching, s.segmented());
            assertTrue(c.cells.size() > 100);
        }
    }

    @Test
    void aResumedRunWritesTheSameGeoJsonAsAnUninterruptedOne() throws IOException {
        Path copies = VipsSlides.replicate(VipsSlides.sample(), dir.resolve("r.png"), 2);
        Path tif = VipsSlides.pyramid(copies, dir.resolve("r.tif"), "jpeg", 256);
        Path whole = dir.resolve("whole.geojson");
        Path resumed = dir.resolve("resumed.geojson");
        SlideOptions options = SlideOptions.defaults().tiles(300, 64).workers(2);
        try (CellPilot cp = CellPilot.builder().build(); Slide slide = Slide.open(tif)) {
            try (SlideGeoJsonWriter w = SlideGeoJsonWriter.create(whole)) {
                cp.segmentSlide(slide, options, w);
                w.finish();
            }
            IOException killed = assertThrows(IOException.class, () -> {
                try (SlideGeoJsonWriter w = SlideGeoJsonWriter.create(resumed)) {
                    cp.segmentSlide(slide, options, new DiesAfter(w, 4));
                }
            });
            assertEquals("killed", killed.getMessage());
            assertTrue(Files.exists(dir.resolve("resumed.geojson.journal")));
            try (SlideGeoJsonWriter w = SlideGeoJsonWriter.resume(resumed)) {
                SlideSummary s = cp.segmentSlide(slide, options, w);
                assertEquals(4, s.resumed());
                w.finish();
            }
        }
        assertFalse(Files.exists(dir.resolve("resumed.geojson.journal")));
        assertEquals(featureLines(whole), featureLines(resumed));
        Object parsed = Json.parse(Files.readString(resumed));
        List<?> features = (List<?>) ((Map<?, ?>) parsed).get("features");
        assertEquals(featureLines(whole).size(), features.size());
        // What a GIS reader sees: every outline OGC-valid, with the cell's pixel count as its area.
        for (Object f : features) {
            @SuppressWarnings("unchecked")
            Map<String, Object> feature = (Map<String, Object>) f;
            @SuppressWarnings("unchecked")
            org.locationtech.jts.geom.Geometry g = OgcOutlines.fromGeoJson((Map<String, Object>) feature.get("geometry"));
            assertTrue(g.isValid(), "invalid outline " + g);
            Map<?, ?> measurements = (Map<?, ?>) ((Map<?, ?>) feature.get("properties")).get("measurements");
            assertEquals(((Number) measurements.get("Area px^2")).doubleValue(), g.getArea(), 0);
        }
    }

    /** A sink that dies (as a killed run would) when the next tile after {@code n} arrives. */
    private record DiesAfter(SlideGeoJsonWriter inner, int n, java.util.concurrent.atomic.AtomicInteger delivered) implements SlideSink {
        DiesAfter(SlideGeoJsonWriter inner, int n) {
            this(inner, n, new java.util.concurrent.atomic.AtomicInteger());
        }

        @Override
        public void accept(SlideTile tile, List<Mask> cells) throws IOException {
            if (delivered.incrementAndGet() > n) {
                throw new IOException("killed");
            }
            inner.accept(tile, cells);
        }
    }

    private static TreeSet<String> featureLines(Path geojson) throws IOException {
        TreeSet<String> lines = new TreeSet<>();
        for (String line : Files.readAllLines(geojson, StandardCharsets.UTF_8)) {
            if (line.startsWith("{\"type\":\"Feature\"")) {
                lines.add(line.endsWith(",") ? line.substring(0, line.length() - 1) : line);
            }
        }
        return lines;
    }

    private static TreeSet<String> signatures(List<Mask> cells) {
        TreeSet<String> out = new TreeSet<>();
        for (Mask m : cells) {
            out.add(m.id() + " " + java.util.Arrays.toString(m.bbox()) + " " + java.util.Arrays.toString(m.raster().runs()));
        }
        return out;
    }

    /**
     * No cell twice: no two cells overlap by half their union or more. Neighbouring tiles may split a clump of nuclei
     * differently (each tile sets its own threshold), so two different cells can share a few border pixels.
     */
    static void assertNoNearDuplicates(List<Mask> cells) {
        Map<Long, Mask> owner = new HashMap<>();
        Map<List<Long>, Integer> shared = new HashMap<>();
        Map<Long, Mask> byId = new HashMap<>();
        for (Mask m : cells) {
            byId.put(m.id(), m);
            int[] b = m.bbox();
            boolean[] px = m.raster().toArray();
            int w = b[2] - b[0];
            for (int p = 0; p < px.length; p++) {
                if (px[p]) {
                    Mask other = owner.putIfAbsent(((long) (b[1] + p / w) << 32) | (b[0] + p % w), m);
                    if (other != null) {
                        shared.merge(List.of(other.id(), m.id()), 1, Integer::sum);
                    }
                }
            }
        }
        shared.forEach((pair, n) -> {
            double iou = n / (double) (byId.get(pair.get(0)).area() + byId.get(pair.get(1)).area() - n);
            assertTrue(iou < 0.5, "cells " + pair + " are one cell twice: IoU " + iou);
        });
    }

    private static java.awt.image.BufferedImage toImage(byte[] rgb, int side) {
        java.awt.image.BufferedImage im = new java.awt.image.BufferedImage(side, side, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int i = (y * side + x) * 3;
                im.setRGB(x, y, ((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff));
            }
        }
        return im;
    }

    /** Finds dark connected components; declares the resolution it expects. */
    private record DarkSquares(double mpp) implements NucleusDetector {
        @Override
        public List<Nucleus> detect(RgbImage image) {
            int w = image.width();
            int h = image.height();
            boolean[] dark = new boolean[w * h];
            for (int i = 0; i < dark.length; i++) {
                dark[i] = image.get(i % w, i / w, 0) < 128;
            }
            int[] labels = Labeling.label(dark, h, w, Connectivity.FOUR);
            List<Nucleus> out = new ArrayList<>();
            for (int l = 1; l <= Labeling.count(labels); l++) {
                int label = l;
                MaskRaster r = MaskRaster.of(0, 0, w, h, (x, y) -> labels[y * w + x] == label);
                out.add(new Nucleus(r.bounds(), null, Double.NaN, r));
            }
            return out;
        }

        @Override
        public OptionalDouble micronsPerPixel() {
            return OptionalDouble.of(mpp);
        }
    }
}
