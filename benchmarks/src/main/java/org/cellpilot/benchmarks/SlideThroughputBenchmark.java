package org.cellpilot.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cellpilot.CellPilot;
import org.cellpilot.Mask;
import org.cellpilot.Slide;
import org.cellpilot.SlideOptions;
import org.cellpilot.SlideSink;
import org.cellpilot.SlideSummary;
import org.cellpilot.SlideTile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whether tile decoding hides behind the model: the same whole-slide run (built-in detector, 1024² tiles) over a
 * JPEG pyramid that libvips writes from 4 × 4 copies of the sample (2048², 9 tiles), and over the same decoded
 * pixels held in memory. The slide run decodes on its reader thread while the workers segment, so the two should
 * take about the same time. Needs {@code vips} (libvips-tools) and the repository's {@code samples/ihc.png}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1)
@Measurement(iterations = 5)
public class SlideThroughputBenchmark {
    /** Tiles segmented at once: 1 leaves a core to the reader thread; 0 is the default, one per core. */
    @Param({"1", "0"})
    public int workers;

    private Path dir;
    private Path tif;
    private Slide file;
    private Slide memory;
    private CellPilot cp;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("slide-bench");
        Path sample = Path.of("samples/ihc.png").toAbsolutePath();
        Path copies = dir.resolve("copies.v");
        tif = dir.resolve("copies.tif");
        run("vips", "replicate", sample.toString(), copies.toString(), "4", "4");
        run("vips", "tiffsave", copies.toString(), tif.toString(), "--tile", "--pyramid", "--compression", "jpeg", "--tile-width", "256",
                "--tile-height", "256");
        try (Slide s = Slide.open(tif)) {
            memory = Slide.of(s.readRegion(0, 0, 0, (int) s.width(), (int) s.height()));
        }
        cp = CellPilot.builder().build();
    }

    /** A fresh slide each run, so its decoded-tile cache starts empty and every tile is decoded. */
    @Setup(Level.Invocation)
    public void openFile() throws IOException {
        file = Slide.open(tif);
    }

    @TearDown(Level.Invocation)
    public void closeFile() {
        file.close();
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        cp.close();
        memory.close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    @Benchmark
    public SlideSummary fromSlideFile() throws IOException {
        return cp.segmentSlide(file, options(), Discard.INSTANCE);
    }

    @Benchmark
    public SlideSummary fromMemory() throws IOException {
        return cp.segmentSlide(memory, options(), Discard.INSTANCE);
    }

    private SlideOptions options() {
        return SlideOptions.defaults().tissueOnly(false).workers(workers);
    }

    /** The cells are not the point here. */
    private enum Discard implements SlideSink {
        INSTANCE;

        @Override
        public void accept(SlideTile tile, List<Mask> cells) {
        }
    }
}
