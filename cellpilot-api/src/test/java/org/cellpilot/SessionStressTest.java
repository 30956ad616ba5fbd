package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;

/** Native memory and threads under sustained use. */
class SessionStressTest {
    /**
     * RSS may grow by allocator caches and JIT code, but not by leaked tensors (each refinement allocates several MB
     * of native tensors). The test JVM's heap is fixed and pre-touched (see the surefire argLine), so Java garbage
     * does not count here.
     */
    private static final long RSS_GROWTH_BOUND_BYTES = 96L << 20;

    @Test
    void aThousandRefinementsLeaveNoHandlesAndBoundedRss() throws IOException {
        long live = Tensor.liveCount();
        RgbImage image = SessionTest.goldenImage();
        try (CellPilot cp = SessionTest.pilot(new int[0][])) {
            long rssAfterWarmUp = 0;
            try (Session s = cp.open(image)) {
                java.util.Random random = new java.util.Random(7);
                for (int mask = 0; mask < 100; mask++) {
                    Mask m = s.add(Prompt.positive(20 + random.nextInt(260), 20 + random.nextInt(160)));
                    for (int r = 0; r < 10; r++) {
                        double x = random.nextInt(301);
                        double y = random.nextInt(201);
                        m = s.refine(m.id(), r % 2 == 0 ? Prompt.negative(x, y) : Prompt.positive(x, y));
                    }
                    if (mask % 3 == 0) {
                        s.remove(m.id());
                    }
                    if (mask == 9) {
                        rssAfterWarmUp = rss();
                    }
                }
                assertEquals(66, s.masks().size(), "100 masks, every third removed");
                long growth = rss() - rssAfterWarmUp;
                assertTrue(growth < RSS_GROWTH_BOUND_BYTES, "RSS grew by " + (growth >> 20) + " MB over 900 refinements");
            }
        }
        assertEquals(live, Tensor.liveCount(), "live tensor handles after closing");
    }

    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** What one session does: encode a region, add a mask from a click, refine it; returns the masks' runs. */
    private static List<int[]> work(CellPilot cp, RgbImage image, int variant) {
        Rectangle region = new Rectangle(variant * 20, variant * 10, 200, 150);
        try (Session s = cp.open(image, region)) {
            Mask m = s.add(Prompt.positive(region.x + 100, region.y + 70));
            Mask r = s.refine(m.id(), Prompt.negative(region.x + 30, region.y + 30));
            return List.of(m.raster().runs(), r.raster().runs(), m.raster().bounds(), r.raster().bounds());
        }
    }

    @Test
    void eightThreadsOfFiftySessionsMatchSerialRuns() throws Exception {
        long live = Tensor.liveCount();
        RgbImage image = SessionTest.goldenImage();
        int variants = 4;
        try (CellPilot cp = CellPilot.builder().sam(Golden.dir("sam_tiny").resolve("weights.safetensors")).decoderHeads(2)
                .detector(SessionTest.fixedBoxes(new int[0][])).embeddingCache(0).threads(1).build()) {
            List<List<int[]>> serial = new ArrayList<>();
            for (int v = 0; v < variants; v++) {
                serial.add(work(cp, image, v));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<List<int[]>>> results = new ArrayList<>();
                for (int i = 0; i < 8 * 50; i++) {
                    int v = i % variants;
                    results.add(pool.submit(() -> work(cp, image, v)));
                }
                for (int i = 0; i < results.size(); i++) {
                    List<int[]> got = results.get(i).get(5, TimeUnit.MINUTES);
                    List<int[]> expected = serial.get(i % variants);
                    for (int k = 0; k < expected.size(); k++) {
                        assertArrayEquals(expected.get(k), got.get(k), "session " + i + " result " + k);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(live, Tensor.liveCount());
    }
}
