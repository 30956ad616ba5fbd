package org.cellpilot.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.WKBWriter;

/** A task that dies after writing part of its rows is retried, and the output holds each row once. */
class RetriedTaskTest {
    private static final int TILES_PER_IMAGE = 4;
    private static final int CELLS_PER_TILE = 3;

    @TempDir
    Path dir;

    @Test
    void aRetriedTaskLeavesNoDuplicateRows() throws IOException {
        Path input = Files.createDirectories(dir.resolve("in"));
        for (String name : List.of("a.png", "b.png", "c.png")) {
            Files.writeString(input.resolve(name), "planned by the fake planner, never read");
        }
        SparkSession spark = LocalSpark.start();
        try {
            // Two tiles per task: each task writes its first tile's cells, then fails on its first attempt.
            List<ImageSummary> summary = new Cohort(spark, new GridPlanner(), new FailingOnceSegmenter())
                    .run(input.toString(), dir.resolve("out").toString(), false, 2);
            assertTrue(FailingOnceSegmenter.FAILURES.get() > 0, "the injected failure happened");
            long expected = 3L * TILES_PER_IMAGE * CELLS_PER_TILE;
            var cells = spark.read().parquet(dir.resolve("out/cells").toString());
            assertEquals(expected, cells.count());
            assertEquals(expected, cells.select("image", "id").distinct().count());
            summary.forEach(s -> assertEquals(TILES_PER_IMAGE * CELLS_PER_TILE, s.cells(), s.image()));
        } finally {
            spark.stop();
        }
    }

    /** Four 100-pixel tiles in a row per image. */
    private static final class GridPlanner implements TilePlanner {
        @Override
        public ImagePlan plan(String image, String path) {
            List<Tile> tiles = new ArrayList<>();
            for (int i = 0; i < TILES_PER_IMAGE; i++) {
                tiles.add(new Tile(image, path, i, new Rectangle(100 * i, 0, 100, 100)));
            }
            return new ImagePlan(image, path, 100L * TILES_PER_IMAGE, 100, 100L * TILES_PER_IMAGE * 100, tiles, 0, null);
        }
    }

    /** Square cells; the second tile of each task throws on the task's first attempt. */
    private static final class FailingOnceSegmenter implements TileSegmenter {
        static final AtomicInteger FAILURES = new AtomicInteger();

        @Override
        public List<CellRecord> segment(Tile tile) {
            if (tile.index() % 2 == 1 && TaskContext.get().attemptNumber() == 0) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure after the task wrote its first tile");
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
