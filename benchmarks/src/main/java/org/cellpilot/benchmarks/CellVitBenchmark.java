package org.cellpilot.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cellpilot.cellvit.CellVit;
import org.cellpilot.cellvit.CellVitOutput;
import org.cellpilot.torch.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CellViT-256 (random full-size weights) on one 1024×1024 tile. Its FLOP count is printed at set-up; divide it by
 * the time and by EncoderBenchmark's GEMM rate for the efficiency. Needs ../shared/golden for the layout.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class CellVitBenchmark {
    static final int TILE = 1024;

    private CellVit model;
    private Tensor input;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path tiny = Path.of(System.getProperty("cellpilot.shared", "../shared"), "golden", "cellvit_tiny", "model", "weights.pth");
        model = CellVit.load(CellVitFixture.write(Fixtures.dir(), tiny));
        System.out.printf("%nCellViT-256 on a %d² tile: %.1f GFLOP%n", TILE, CellVitFixture.flops(CellVitFixture.shapes(tiny), TILE) / 1e9);
        try (Tensor rgb = Tensor.ofBytes(Fixtures.image(TILE, TILE, 4), org.cellpilot.torch.DType.UINT8, 1, TILE, TILE, 3)) {
            input = CellVit.normalize(rgb);
        }
    }

    @Benchmark
    public long network() {
        try (CellVitOutput out = model.forward(input)) {
            return out.nucleiBinaryMap().numel();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        input.close();
        model.close();
    }
}
