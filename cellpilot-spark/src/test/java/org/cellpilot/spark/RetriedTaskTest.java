package org.cellpilot.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.WKBWriter;

/** A task that is killed, or fails, after writing part of its rows is run again, and the output holds each row once. */
class RetriedTaskTest {
    private static final int TILES_PER_IMAGE = 4;
    private static final int CELLS_PER_TILE = 3;
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** How the first attempt of each task ends, after it wrote its first tile's cells. */
    enum Interruption {
        /** Spark kills the attempt (as when an executor is lost or a task is pre-empted) and reschedules it. */
        KILLED,
        /** The attempt throws, and Spark retries it (local[2,2]: two attempts per task). */
        FAILED
    }

    @ParameterizedTest
    @EnumSource(Interruption.class)
    void anInterruptedTaskLeavesNoDuplicateRows(Interruption how) throws IOException {
        Path input = Files.createDirectories(dir.resolve("in"));
        for (String name : List.of("a.png", "b.png", "c.png")) {
            Files.writeString(input.resolve(name), "planned by the fake planner, never read");
        }
        // Two tiles per task: each task writes its first tile's cells, then its first attempt ends at the second.
        List<ImageSummary> summary = new Cohort(spark, new GridPlanner(), new InterruptedOnceSegmenter(how))
                .run(input.toString(), dir.resolve("out").toString(), false, 2);
        assertTrue(InterruptedOnceSegmenter.INTERRUPTIONS.get(how.ordinal()).get() > 0, "the interruption happened");
        if (how == Interruption.KILLED) {
            assertTrue(InterruptedOnceSegmenter.KILLED_BY_SPARK.get() > 0, "Spark killed the attempts");
        }
        long expected = 3L * TILES_PER_IMAGE * CELLS_PER_TILE;
        var cells = spark.read().parquet(dir.resolve("out/cells").toString());
        assertEquals(expected, cells.count());
        assertEquals(expected, cells.select("image", "id").distinct().count());
        summary.forEach(s -> assertEquals(TILES_PER_IMAGE * CELLS_PER_TILE, s.cells(), s.image()));
    }

    /** Four 100-pixel tiles in a row per image. */
    private static final class GridPlanner implements TilePlanner {
        private static final long serialVersionUID = 1L;

        @Override
        public ImagePlan plan(String image, String path) {
            List<Tile> tiles = new ArrayList<>();
            for (int i = 0; i < TILES_PER_IMAGE; i++) {
                tiles.add(new Tile(image, path, i, i, 0, new Rectangle(100 * i, 0, 100, 100), false));
            }
            return new ImagePlan(image, path, 100L * TILES_PER_IMAGE, 100, 100L * TILES_PER_IMAGE * 100, tiles, 0, null);
        }
    }

    /** Square cells; the second tile of each task ends the task's first attempt. */
    private static final class InterruptedOnceSegmenter implements TileSegmenter {
        private static final long serialVersionUID = 1L;
        static final List<AtomicInteger> INTERRUPTIONS = List.of(new AtomicInteger(), new AtomicInteger());
        /** Attempts that Spark marked killed when it interrupted them. */
        static final AtomicInteger KILLED_BY_SPARK = new AtomicInteger();
        private final Interruption how;

        InterruptedOnceSegmenter(Interruption how) {
            this.how = how;
        }

        @Override
        public List<CellRecord> segment(Tile tile) {
            TaskContext task = TaskContext.get();
            if (tile.index() % 2 == 1 && task.attemptNumber() == 0) {
                INTERRUPTIONS.get(how.ordinal()).incrementAndGet();
                if (how == Interruption.FAILED) {
                    throw new IllegalStateException("injected failure after the task wrote its first tile");
                }
                SparkContext.getOrCreate().killTaskAttempt(task.taskAttemptId(), true, "killed by the test after its first tile");
                try {
                    new CountDownLatch(1).await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    if (task.isInterrupted()) {
                        KILLED_BY_SPARK.incrementAndGet();
                    }
                    throw new IllegalStateException("killed", e);
                }
                throw new IllegalStateException("the task was not killed within 2 minutes");
            }
            GeometryFactory f = new GeometryFactory();
            List<CellRecord> cells = new ArrayList<>();
            for (int k = 0; k < CELLS_PER_TILE; k++) {
                int x = tile.bounds().x + 10 + 20 * k;
                byte[] wkb = new WKBWriter().write(f.toGeometry(new Envelope(x, x + 10, 10, 20)));
                cells.add(new CellRecord(tile.image(), tile.index() * 1000L + k, x + 5, 15, 100, new int[] {x, 10, x + 10, 20},
                        null, null, Double.NaN, 1, wkb));
            }
            return cells;
        }
    }
}
