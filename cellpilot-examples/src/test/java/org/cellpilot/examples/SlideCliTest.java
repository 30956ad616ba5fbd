package org.cellpilot.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cellpilot.testing.TiffFiles;
import org.cellpilot.testing.VipsSlides;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cellpilot segment} on whole slides. */
class SlideCliTest {
    /** The README's bound for a 2048² region of a 40000² slide with the built-in detector, JVM run with -Xmx1g. */
    private static final long REGION_PEAK_RSS_MB = 1536;

    @TempDir
    Path tmp;

    @BeforeEach
    void needsVips() {
        VipsSlides.assumeVips();
    }

    record Process(int status, String out, String err) {
    }

    /** The CLI in its own JVM, so its peak RSS is its own and not the test JVM's 2 GB pre-touched heap. */
    private static Process java(String heap, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", heap, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        java.lang.Process p = new ProcessBuilder(cmd).start();
        byte[] err = p.getErrorStream().readAllBytes();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "CLI did not finish");
        return new Process(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void aRegionOfA40000SlideIsSegmentedInBoundedMemoryInLevelZeroPixels() throws Exception {
        Path out = tmp.resolve("out");
        Process p = java("-Xmx1g", "segment", VipsSlides.huge().toString(), "--region", "19000,19000,2048,2048", "--out", out.toString());
        assertEquals(0, p.status(), p.err());
        Matcher peak = Pattern.compile("peak memory (\\d+) MB RSS").matcher(p.out());
        assertTrue(peak.find(), p.out());
        assertTrue(Long.parseLong(peak.group(1)) < REGION_PEAK_RSS_MB, p.out());
        Map<?, ?> collection = (Map<?, ?>) Json.parse(Files.readString(out.resolve("huge-40000.geojson")));
        List<?> features = (List<?>) collection.get("features");
        assertTrue(features.size() > 100, features.size() + " cells");
        // The sample sits at (20000, 20000) of the slide: its cells come back there, in level-0 pixels.
        Rectangle sample = new Rectangle(19_999, 19_999, 514, 514); // outlines may run a pixel outside the cells' pixels
        for (Object f : features) {
            List<?> ring = (List<?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) f).get("geometry")).get("coordinates")).get(0);
            List<?> first = (List<?>) (ring.get(0) instanceof List<?> l && l.get(0) instanceof List<?> ? l : ring.get(0));
            double x = ((Number) first.get(0)).doubleValue();
            double y = ((Number) first.get(1)).doubleValue();
            assertTrue(sample.contains(x, y), "cell at " + x + "," + y + " lies off the sample");
        }
        assertTrue(Files.size(out.resolve("huge-40000-overview.png")) > 0);
    }

    @Test
    void aCorruptTileEndsIncompleteWithTheOthersWritten() throws IOException {
        Path copies = VipsSlides.replicate(VipsSlides.sample(), tmp.resolve("c.png"), 4);
        Path tif = VipsSlides.pyramid(copies, tmp.resolve("c.tif"), "jpeg", 256);
        TiffFiles.corruptTile(tif, 0, 9); // column 1, row 1 of 8 x 8 file tiles: only the first of 3 x 3 run tiles needs it
        Path out = tmp.resolve("out");
        CliTest.Run r = CliTest.cli("segment", tif.toString(), "--region", "0,0,2048,2048", "--out", out.toString());
        assertEquals(SlideSegmentation.INCOMPLETE, r.status(), r.err());
        assertTrue(r.err().contains("1 tile(s) failed") && r.err().contains("tile (1, 1)") && r.err().contains("--resume"), r.err());
        assertTrue(Files.exists(out.resolve("c.geojson.journal")), "the journal stays for --resume");
        assertTrue(Files.readString(out.resolve("c.geojson")).contains("\"Feature\""), "cells of the other tiles are kept");
    }

    @Test
    void labelsAndCocoAreRefusedForSlideRuns() throws IOException {
        Path tif = VipsSlides.pyramid(VipsSlides.sample(), tmp.resolve("s.tif"), "jpeg", 256);
        CliTest.Run r = CliTest.cli("segment", tif.toString(), "--region", "0,0,256,256", "--format", "geojson,labels", "--out",
                tmp.resolve("o").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--format geojson"), r.err());
    }

    @Test
    void runningOutOfMemoryEndsInOneErrorLine() throws Exception {
        Path big = VipsSlides.replicate(VipsSlides.sample(), tmp.resolve("big.png"), 6);
        Process p = java("-Xmx24m", "segment", big.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(1, p.status(), p.err());
        List<String> errors = p.err().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), p.err());
        assertTrue(errors.get(0).contains("out of memory") && errors.get(0).contains("-Xmx"), errors.get(0));
        assertFalse(p.err().contains("OutOfMemoryError") || p.err().contains("\tat "), p.err());
    }
}
