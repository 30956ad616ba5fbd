package org.cellpilot.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cellpilot.sam.SamModel;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a 375 MB SAM ViT-B checkpoint: the reader alone (every tensor mapped, zero-copy) and the whole
 * model (reader, validation, relative-position tables, prompt tables). The page cache is warm after the first
 * iteration, as it is for a user who opens the same model again.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2)
@Measurement(iterations = 10)
public class CheckpointLoadBenchmark {
    @Param({"safetensors", "pth"})
    public String format;

    private Path file;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path[] files = Fixtures.samVitB();
        file = format.equals("safetensors") ? files[0] : files[1];
    }

    @Benchmark
    public long readAllTensors() {
        StateDict sd = StateDict.load(file);
        long n = 0;
        for (String k : sd.keys()) {
            try (Tensor t = sd.get(k)) {
                n += t.numel();
            }
        }
        return n;
    }

    @Benchmark
    public int loadSamModel() {
        try (SamModel m = SamModel.load(file)) {
            return m.imageSize();
        }
    }
}
