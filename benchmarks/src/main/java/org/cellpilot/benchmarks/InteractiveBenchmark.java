package org.cellpilot.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cellpilot.sam.RegionMask;
import org.cellpilot.sam.SamModel;
import org.cellpilot.sam.SamPredictor;
import org.cellpilot.sam.SamPrompt;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Ops;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The decoder side of SAM ViT-B on an encoded 1024×1024 image: one interactive click (2 points + the previous
 * low-res logits → full-resolution mask), and automatic mode (300 boxes → region masks).
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g",
        "-Dcellpilot.backend.decorator=org.cellpilot.benchmarks.OpTimingBackend"})
public class InteractiveBenchmark extends SharedCpuParams {
    /** cpu, or cuda for a GPU host (scripts/gpu-check): the model, its input and the image embedding go there. */
    @Param({"cpu"})
    public String device;

    private SamModel model;
    private SamPredictor predictor;
    private Tensor previous;
    private List<SamPrompt> boxes;
    /** Automatic mode: wall time and the part of it inside libtorch's ops, over every run of the fork (warm-up too). */
    private long automaticNanos;
    private long automaticOpNanos;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        BenchmarkBackend.use(backend);
        model = SamModel.load(StateDict.load(Fixtures.samVitB()[0]), SamModel.DEFAULT_DECODER_HEADS,
                SamModel.EncoderPrecision.FLOAT32, Device.parse(device));
        predictor = model.predictor(Fixtures.image(1024, 1024, 2), 1024, 1024);
        try (SamPredictor.Prediction first = predictor.predict(new SamPrompt(new double[][] {{500, 400}}, new int[] {1}, null, null), true)) {
            previous = org.cellpilot.torch.Scope.detach(Ops.contiguous(Ops.narrow(first.lowResLogits, 0, 0, 1)));
        }
        boxes = new ArrayList<>();
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 300; i++) {
            int x = r.nextInt(990);
            int y = r.nextInt(990);
            int s = 12 + r.nextInt(24);
            boxes.add(SamPrompt.box(x, y, Math.min(1024, x + s), Math.min(1024, y + s)));
        }
        startCompetingCore();
    }

    /**
     * The decoder's per-image work, done once when an image is encoded and then shared by its clicks (the first
     * step's projection of the image). It includes a copy of the 4 MB embedding, which the predictor takes over.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Warmup(iterations = 1, time = 5)
    @Measurement(iterations = 3, time = 5)
    public long imagePreparation() {
        try (SamPredictor prepared = model.predictor(Ops.clone(predictor.embedding()), 1024, 1024)) {
            return Fixtures.awaitDevice(prepared.embedding());
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 5, time = 5)
    public long click() {
        SamPrompt p = new SamPrompt(new double[][] {{500, 400}, {620, 380}}, new int[] {1, 0}, null, previous);
        try (SamPredictor.Prediction out = predictor.predict(p, false)) {
            return Fixtures.awaitDevice(out.masks);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public int automatic300Boxes() {
        long start = System.nanoTime();
        long ops = OpTimingBackend.nanos();
        List<RegionMask> masks = predictor.predictRegions(boxes, 4);
        automaticOpNanos += OpTimingBackend.nanos() - ops;
        automaticNanos += System.nanoTime() - start;
        return masks.size();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stopCompetingCore();
        if (automaticNanos > 0) {
            // An upper bound for mask post-processing: the binding's own overhead is in it too.
            System.out.printf("%nautomatic mode outside libtorch ops (region resizes, masks): %.1f %%%n",
                    100.0 * (automaticNanos - automaticOpNanos) / automaticNanos);
        }
        previous.close();
        predictor.close();
        model.close();
    }
}
