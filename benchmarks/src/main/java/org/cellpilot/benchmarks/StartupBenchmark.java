package org.cellpilot.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cellpilot.sam.SamModel;
import org.cellpilot.sam.SamPredictor;
import org.cellpilot.sam.SamPrompt;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Torch;
import org.cellpilot.torch.checkpoint.StateDict;
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
 * Start-up as a user's first click meets it: in a fresh JVM, load libtorch, load SAM ViT-B from Meta's {@code .pth}
 * format, encode one 1024² image and answer one click. Each fork measures it once, without warm-up, so the JIT and
 * libtorch's first-call costs are in it; the checkpoint stays in the OS page cache between forks, as it does for a
 * user who starts the application again. The JVM's own start (about 0.1 s) is outside it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class StartupBenchmark extends SharedCpuParams {
    private Path checkpoint;
    private byte[] image;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        checkpoint = Fixtures.samVitB()[1];
        image = Fixtures.image(1024, 1024, 2);
        // Chosen, not loaded: loading libtorch is part of what is measured.
        System.setProperty(Torch.BACKEND_PROPERTY, backend);
        startCompetingCore();
    }

    @Benchmark
    public long firstClick() {
        Torch.get();
        try (SamModel model = SamModel.load(StateDict.load(checkpoint), SamModel.DEFAULT_DECODER_HEADS,
                SamModel.EncoderPrecision.FLOAT32, Device.cpu());
             SamPredictor predictor = model.predictor(image, 1024, 1024);
             SamPredictor.Prediction out = predictor.predict(
                     new SamPrompt(new double[][] {{500, 400}, {620, 380}}, new int[] {1, 0}, null, null), false)) {
            return out.masks.numel();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stopCompetingCore();
    }
}
