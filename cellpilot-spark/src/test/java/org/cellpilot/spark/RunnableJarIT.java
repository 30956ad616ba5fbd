package org.cellpilot.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cellpilot.testing.VipsSlides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/cellpilot-spark.jar} started as a user starts it, {@code java -jar} with no JVM flags:
 * Spark's module openings and native access come from its manifest. Runs after {@code package}.
 */
class RunnableJarIT {
    @TempDir
    Path dir;

    @Test
    void javaDashJarRunsLocalModeWithTheManifestsFlagsAlone() throws IOException, InterruptedException {
        Path input = Files.createDirectories(dir.resolve("in"));
        Files.copy(VipsSlides.sample(), input.resolve("ihc.png"));
        Path output = dir.resolve("out");
        Path log = dir.resolve("log.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar",
                Path.of("target", "cellpilot-spark.jar").toAbsolutePath().toString(), "--master", "local[1]",
                "--input", input.toString(), "--output", output.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "the run ended within 5 minutes:\n" + out);
        assertEquals(0, p.exitValue(), out);
        // Without Enable-Native-Access, JDK 22+ warns at the first restricted call (Hadoop's loadLibrary, libtorch's FFM).
        assertFalse(out.contains("A restricted method"), "the manifest enables native access:\n" + out);
        Matcher m = Pattern.compile("ihc\\.png: (\\d+) cells").matcher(out);
        assertTrue(m.find(), out);
        List<Path> parts = GeoParquetFiles.parts(output.resolve("cells/image=ihc.png"));
        long rows = 0;
        for (Path part : parts) {
            rows += GeoParquetFiles.rows(part).size();
        }
        assertTrue(rows > 50, "the sample's cells were written: " + rows);
        assertEquals(Long.parseLong(m.group(1)), rows, "the reported count is what the GeoParquet holds");
    }
}
