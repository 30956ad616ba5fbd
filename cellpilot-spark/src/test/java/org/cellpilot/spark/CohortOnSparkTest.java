package org.cellpilot.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cellpilot.examples.Main;
import org.cellpilot.testing.VipsSlides;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import picocli.CommandLine;

/**
 * One cohort run in local Spark over the bundled sample as PNG and JPEG, a pyramidal slide made by libvips, a
 * slide whose tiles are corrupt and a file that is no image; checked against the CLI, against GeoParquet 1.1 read
 * by parquet-java, and resumed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CohortOnSparkTest {
    private static final Set<String> GEOMETRY_TYPES = Set.of("Point", "LineString", "Polygon", "MultiPoint",
            "MultiLineString", "MultiPolygon", "GeometryCollection");
    /** A slide side above the CLI's limit for segmenting a slide whole. */
    private static final int BIG = 4608;
    private static final Segmentation BUILT_IN_DETECTOR = new Segmentation(new ModelSpec(null, null, "he", "cpu", 1), Double.NaN);

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static Path input;
    private static Path output;
    private static Map<String, ImageSummary> summary;

    @BeforeAll
    static void runCohort() throws IOException {
        VipsSlides.assumeVips();
        input = Files.createDirectories(dir.resolve("in"));
        output = dir.resolve("out");
        Path sample = VipsSlides.sample();
        Files.copy(sample, input.resolve("ihc.png"));
        ImageIO.write(ImageIO.read(sample.toFile()), "jpg", input.resolve("ihc-copy.jpg").toFile());
        Path copies = VipsSlides.replicate(sample, dir.resolve("2x2.png"), 2);
        VipsSlides.pyramid(copies, input.resolve("slide.tif"), "jpeg", 256);
        // Above the CLI's 4096² limit, so streamed in tiles; the tissue straddles the first seams (896 to 1024).
        VipsSlides.pyramid(VipsSlides.onWhite(copies, dir.resolve("big.png"), 700, 700, BIG, BIG), input.resolve("big-slide.tif"),
                "jpeg", 256);
        corruptTiles(VipsSlides.pyramid(VipsSlides.onWhite(sample, dir.resolve("corner.png"), 0, 0, BIG, BIG),
                input.resolve("corrupt-tiles.tif"), "deflate", 256));
        Files.writeString(input.resolve("notes.png"), "not an image");
        Files.writeString(input.resolve("README.txt"), "skipped: not an image extension");

        spark = LocalSpark.start();
        summary = index(new Cohort(spark, new SlidePlanner(BUILT_IN_DETECTOR), new SlideSegmenter(BUILT_IN_DETECTOR))
                .run(input.toString(), output.toString(), false, 4));
    }

    /**
     * Overwrites the start of level 0's tile data, where libvips puts the tissue's tiles (top-left), leaving the
     * directories at the end of the file and the lower levels intact: the slide opens and plans, its tiles do not read.
     */
    private static void corruptTiles(Path tiff) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(tiff.toFile(), "rw")) {
            byte[] garbage = new byte[40_000];
            java.util.Arrays.fill(garbage, (byte) 0x5a);
            f.seek(16);
            f.write(garbage);
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
        ExecutorModels.closeAll();
    }

    @Test
    void cellsPerImageEqualTheClis() throws IOException {
        Map<String, Long> rows = new HashMap<>();
        for (Row r : spark.read().parquet(output.resolve("cells").toString()).groupBy("image").count().collectAsList()) {
            rows.put(r.getString(0), r.getLong(1));
        }
        for (String image : List.of("ihc.png", "ihc-copy.jpg", "slide.tif", "big-slide.tif")) {
            long cli = cli(image).size();
            assertTrue(cli > 50, "the sample has cells: " + cli);
            assertEquals(cli, summary.get(image).cells(), image + " in the summary");
            assertEquals(cli, rows.get(image), image + " rows in cells/");
        }
        assertTrue(summary.get("big-slide.tif").tiles() > 1, "the large slide is streamed in tiles, with seams");
    }

    @Test
    void partFilesCarryGeoParquetMetadataThatHoldsForTheirRows() throws IOException, ParseException {
        List<Path> parts = GeoParquetFiles.parts(output.resolve("cells"));
        assertFalse(parts.isEmpty());
        for (Path part : parts) {
            assertTrue(part.getParent().getFileName().toString().startsWith("image="), part.toString());
            ParquetMetadata footer = GeoParquetFiles.footer(part);
            JsonNode geo = JSON.readTree(footer.getFileMetaData().getKeyValueMetaData().get("geo"));
            assertEquals("1.1.0", geo.path("version").asText());
            String primary = geo.path("primary_column").asText();
            JsonNode column = geo.path("columns").path(primary);
            assertTrue(column.isObject(), "primary_column is one of columns: " + geo);
            Type field = footer.getFileMetaData().getSchema().getType(primary);
            assertTrue(field.isPrimitive(), "geometry is a top-level primitive column");
            assertEquals(PrimitiveTypeName.BINARY, field.asPrimitiveType().getPrimitiveTypeName());
            assertEquals("WKB", column.path("encoding").asText());
            assertTrue(column.has("crs") && column.get("crs").isNull(), "pixel coordinates: crs must be null, not CRS84");
            assertEquals("planar", column.path("edges").asText("planar"));
            Set<String> declared = new HashSet<>();
            column.path("geometry_types").forEach(t -> declared.add(t.asText()));
            assertTrue(GEOMETRY_TYPES.containsAll(declared), declared.toString());
            JsonNode bbox = column.path("bbox");
            assertEquals(4, bbox.size());
            Envelope fileBox = new Envelope(bbox.get(0).asDouble(), bbox.get(2).asDouble(), bbox.get(1).asDouble(), bbox.get(3).asDouble());

            Set<Long> ids = new HashSet<>();
            for (Group row : GeoParquetFiles.rows(part)) {
                Geometry g = geometry(row);
                assertTrue(declared.contains(g.getGeometryType()), g.getGeometryType() + " not in " + declared);
                Envelope cellBox = new Envelope(row.getInteger("bbox_x0", 0), row.getInteger("bbox_x1", 0),
                        row.getInteger("bbox_y0", 0), row.getInteger("bbox_y1", 0));
                assertTrue(cellBox.contains(g.getEnvelopeInternal()), "geometry inside its bbox");
                assertTrue(fileBox.contains(g.getEnvelopeInternal()), "geometry inside the file's bbox");
                assertTrue(cellBox.contains(row.getDouble("centroid_x", 0), row.getDouble("centroid_y", 0)));
                assertTrue(row.getLong("area", 0) > 0);
                assertTrue(ids.add(row.getLong("id", 0)), "ids are unique");
            }
        }
    }

    @Test
    void geometriesAreTheOutlinesTheCliExports() throws IOException, ParseException {
        Map<Long, Geometry> cli = new HashMap<>();
        for (JsonNode f : cli("ihc.png")) {
            cli.put(f.path("properties").path("cellpilotId").asLong(), GeoJsonGeometry.of(f.path("geometry")));
        }
        List<Group> rows = GeoParquetFiles.rows(GeoParquetFiles.parts(output.resolve("cells/image=ihc.png")).get(0));
        assertEquals(cli.size(), rows.size());
        for (Group row : rows) {
            Geometry expected = cli.get(row.getLong("id", 0));
            assertNotNull(expected, "cell " + row.getLong("id", 0) + " is in the CLI's GeoJSON");
            assertTrue(expected.equalsExact(geometry(row)), "cell " + row.getLong("id", 0));
        }
    }

    /** OGC validity, which GeoPandas, DuckDB and QGIS assume, and the pixel count as each outline's area. */
    @Test
    void geometriesAreValidWithThePixelCountAsArea() throws IOException, ParseException {
        for (Path part : GeoParquetFiles.parts(output.resolve("cells"))) {
            for (Group row : GeoParquetFiles.rows(part)) {
                Geometry g = geometry(row);
                assertTrue(g.isValid(), "valid geometry for cell " + row.getLong("id", 0) + ": " + g);
                assertEquals(row.getLong("area", 0), g.getArea(), 0, "area of cell " + row.getLong("id", 0));
            }
        }
    }

    @Test
    void corruptInputsAreReportedAndOthersComplete() {
        assertEquals(Set.of("ihc.png", "ihc-copy.jpg", "slide.tif", "big-slide.tif", "corrupt-tiles.tif", "notes.png"), summary.keySet());
        for (String good : List.of("ihc.png", "ihc-copy.jpg", "slide.tif", "big-slide.tif")) {
            assertNull(summary.get(good).error(), good);
        }
        assertNotNull(summary.get("notes.png").error(), "a file that is no image fails at planning");
        assertEquals(0, summary.get("notes.png").tiles());
        ImageSummary corrupt = summary.get("corrupt-tiles.tif");
        assertNotNull(corrupt.error(), "a slide whose tiles do not decode fails when they are read");
        assertTrue(corrupt.failedTiles() > 0, corrupt.toString());
        assertTrue(corrupt.error().contains("tile"), corrupt.error());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void resumeRedoesOnlyIncompleteImages() throws IOException {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new Cohort(spark,
                new SlidePlanner(BUILT_IN_DETECTOR), new RecordingSegmenter()).run(input.toString(), output.toString(), false, 4));
        assertTrue(refused.getMessage().contains("--resume"), refused.getMessage());
        long before = spark.read().parquet(output.resolve("cells").toString()).count();
        Map<String, ImageSummary> resumed = index(new Cohort(spark, new SlidePlanner(BUILT_IN_DETECTOR), new RecordingSegmenter())
                .run(input.toString(), output.toString(), true, 4));
        assertEquals(Set.of("corrupt-tiles.tif"), RecordingSegmenter.SEEN, "only the incomplete images with tiles are redone");
        assertEquals(summary.keySet(), resumed.keySet());
        assertEquals(summary.get("ihc.png"), resumed.get("ihc.png"), "a complete image keeps its summary");
        assertEquals(before, spark.read().parquet(output.resolve("cells").toString()).count());
    }

    /** Segments nothing and remembers which images it was asked for. */
    private static final class RecordingSegmenter implements TileSegmenter {
        private static final long serialVersionUID = 1L;
        static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

        @Override
        public List<CellRecord> segment(Tile tile) {
            SEEN.add(tile.image());
            return List.of();
        }
    }

    /** The features that {@code cellpilot segment} writes for {@code image} (run once per image). */
    private static JsonNode cli(String image) throws IOException {
        Path out = dir.resolve("cli-" + image);
        if (!Files.isDirectory(out)) {
            int status = new CommandLine(new Main()).execute("segment", input.resolve(image).toString(), "--out", out.toString(),
                    "--format", "geojson");
            assertEquals(0, status);
        }
        String stem = image.replaceFirst("\\.[^.]*$", "");
        return JSON.readTree(out.resolve(stem + ".geojson").toFile()).path("features");
    }

    private static Geometry geometry(Group row) throws ParseException {
        return new WKBReader().read(row.getBinary("geometry", 0).getBytes());
    }

    private static Map<String, ImageSummary> index(List<ImageSummary> rows) {
        Map<String, ImageSummary> byImage = new HashMap<>();
        rows.forEach(r -> byImage.put(r.image(), r));
        return byImage;
    }
}
