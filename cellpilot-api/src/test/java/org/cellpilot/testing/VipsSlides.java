package org.cellpilot.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Slides for tests, made by libvips ({@code vips}, Debian's libvips-tools, which {@code .ci/run} installs): an
 * independent writer, so the readers are not tested against files of our own making.
 */
public final class VipsSlides {
    private VipsSlides() {}

    /** Skips the calling test when vips is not installed (CI installs it). */
    public static void assumeVips() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/vips")), "libvips-tools is not installed (apt-get install libvips-tools)");
    }

    /** The bundled sample's file. */
    public static Path sample() {
        return Golden.samplePath();
    }

    /**
     * {@code vips tiffsave source out --tile --pyramid --compression C --tile-width T --tile-height T [extra…]}:
     * a tiled pyramidal TIFF whose levels halve down to one tile.
     */
    public static Path pyramid(Path source, Path out, String compression, int tile, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("vips", "tiffsave", source.toString(), out.toString(), "--tile", "--pyramid",
                "--compression", compression, "--tile-width", Integer.toString(tile), "--tile-height", Integer.toString(tile)));
        cmd.addAll(List.of(extra));
        run(cmd);
        return out;
    }

    /**
     * A 40000 × 40000 JPEG pyramid, white but for the sample at (20000, 20000), built once per machine into the
     * temporary directory (libvips streams it in about 25 s) and shared by the tests that need a huge slide.
     */
    public static synchronized Path huge() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "cellpilot-test-slides");
        Path slide = dir.resolve("huge-40000.tif");
        if (Files.isRegularFile(slide)) {
            return slide;
        }
        try {
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, "huge-", ".tif");
            run(List.of("vips", "embed", sample().toString(), partial + "[tile,pyramid,compression=jpeg,bigtiff,tile-width=256,tile-height=256]",
                    "20000", "20000", "40000", "40000", "--extend", "white"));
            Files.move(partial, slide, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return slide;
        } catch (IOException e) {
            throw new IllegalStateException("cannot build the huge test slide in " + dir, e);
        }
    }

    /** {@code k × k} copies of {@code source} side by side, as a PNG. */
    public static Path replicate(Path source, Path out, int k) {
        run(List.of("vips", "replicate", source.toString(), out.toString(), Integer.toString(k), Integer.toString(k)));
        return out;
    }

    /** {@code source} in the middle of a white canvas of {@code width × height}. */
    public static Path onWhite(Path source, Path out, int x, int y, int width, int height) {
        run(List.of("vips", "embed", source.toString(), out.toString(), Integer.toString(x), Integer.toString(y), Integer.toString(width),
                Integer.toString(height), "--extend", "white"));
        return out;
    }

    public static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
