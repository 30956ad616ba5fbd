package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.cellpilot.testing.Golden;
import org.cellpilot.testing.OgcOutlines;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "API in ten lines", taken from the README itself: it compiles as written and runs on the sample. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    private static Path repository() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isRegularFile(d.resolve("README.md"))) {
            d = d.getParent();
        }
        assertNotNull(d, "README.md above " + Path.of("").toAbsolutePath());
        return d;
    }

    /** The Java block under "## The API in ten lines". */
    private static String example() throws IOException {
        String readme = Files.readString(repository().resolve("README.md"));
        int section = readme.indexOf("## The API in ten lines");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        int end = readme.indexOf("```", start);
        assertTrue(section >= 0 && start > section && end > start, "the README's example block");
        return readme.substring(start, end);
    }

    /** Compiles {@code body} as the body of {@code ReadmeExample.run()} and returns the class. */
    private Class<?> compile(String body, String name) throws Exception {
        Path src = dir.resolve(name).resolve("ReadmeExample.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                import java.nio.file.Path;
                import java.util.List;
                import org.cellpilot.*;

                public class ReadmeExample {
                    public static void run() throws Exception {
                """ + body + "    }\n}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-proc:none", "-classpath", System.getProperty("java.class.path"),
                "-d", src.getParent().toString(), src.toString());
        assertEquals(0, status, "the README example compiles (" + name + ")");
        URLClassLoader loader = new URLClassLoader(new URL[] {src.getParent().toUri().toURL()}, getClass().getClassLoader());
        return loader.loadClass("ReadmeExample");
    }

    @Test
    void theExampleHasTenLinesOrFewerAndCompilesAsWritten() throws Exception {
        String example = example();
        assertTrue(example.lines().count() <= 10, example.lines().count() + " lines");
        compile(example, "as-written");
    }

    /**
     * Runs it on the sample with the tiny golden SAM (2 decoder heads) in place of CellPilot's checkpoint, and the
     * built-in detector in place of CellViT (the tiny CellViT needs 2 encoder heads, which the builder does not
     * take); the image path and the box are the README's own.
     */
    @Test
    void theExampleRunsOnTheSample() throws Exception {
        Path sam = Golden.dir("sam_tiny").resolve("weights.pth").toAbsolutePath();
        Path out = dir.resolve("annotations.geojson");
        String runnable = example()
                .replace(".sam(Path.of(\"cellpilot.ckpt\"))", ".sam(Path.of(\"" + sam + "\")).decoderHeads(2)")
                .replace(".cellvit(Path.of(\"CellViT-256-x40.pth\"))", "")
                .replace("\"samples/ihc.png\"", "\"" + repository().resolve("samples/ihc.png") + "\"")
                .replace("\"annotations.geojson\"", "\"" + out + "\"");
        assertTrue(runnable.contains(sam.toString()) && runnable.contains(out.toString()) && !runnable.contains("CellViT-256"),
                "the substitutions apply to the README's text");
        compile(runnable, "on-the-sample").getMethod("run").invoke(null);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> features = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(Files.readString(out))).get("features");
        assertTrue(features.size() > 100, features.size() + " features: the sample's cells and the gland");
        long glands = 0;
        for (Map<String, Object> f : features) {
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) f.get("properties");
            glands += "annotation".equals(properties.get("objectType")) ? 1 : 0;
            @SuppressWarnings("unchecked")
            Map<String, Object> geometry = (Map<String, Object>) f.get("geometry");
            assertTrue(OgcOutlines.fromGeoJson(geometry).isValid(), "valid outline");
        }
        assertEquals(1, glands, "the box's mask, back to its first version by undo()");
    }
}
