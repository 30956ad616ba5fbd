package org.cellpilot.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.cellpilot.sam.SamModel;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.Torch;
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
 * The SAM ViT-B image encoder on a 1024×1024 input (0.97 TFLOP), and the GEMM roofline it is judged against:
 * efficiency = (0.97 TFLOP / encoder time) / GEMM FLOP rate, both from the same run. The GEMM is the encoder's
 * own dominant shape (MLP lin1 on 4096 tokens: 4096×768 · 768×3072).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class EncoderBenchmark extends SharedCpuParams {
    /** 2 · 486 GMAC, counted in reference/sam.md. */
    public static final double ENCODER_FLOP = 0.97e12;
    public static final double GEMM_FLOP = 2.0 * 4096 * 768 * 3072;

    /** FLOAT32, or BFLOAT16 for the encoder's linear layers (attention stays float32). */
    @Param({"FLOAT32", "BFLOAT16"})
    public SamModel.EncoderPrecision precision;

    /** cpu, or cuda for a GPU host (scripts/gpu-check): the model, its input and the GEMM's operands go there. */
    @Param({"cpu"})
    public String device;

    /** onednn, blas, or alternate (both in this fork, iteration by iteration; see {@link Kernels}). */
    @Param({"onednn"})
    public String kernels;

    /** Intra-op threads; 0 keeps libtorch's default (one per core). */
    @Param({"0"})
    public int threads;

    private Kernels paths;
    private Tensor packedB;

    private SamModel model;
    private Tensor input;
    private Tensor a;
    private Tensor b;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        BenchmarkBackend.use(backend);
        if (threads > 0) {
            Torch.get().setThreads(threads);
        }
        Device on = Device.parse(device);
        model = SamModel.load(StateDict.load(Fixtures.samVitB()[0]), SamModel.DEFAULT_DECODER_HEADS, precision, on);
        input = Fixtures.moveTo(on, model.preprocess(Fixtures.image(1024, 1024, 1), 1024, 1024));
        float[] x = new float[4096 * 768];
        float[] w = new float[3072 * 768];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 13) * 0.01f;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 7) * 0.01f;
        }
        a = Fixtures.moveTo(on, Tensor.of(x, 4096, 768));
        b = Fixtures.moveTo(on, Tensor.of(w, 3072, 768));
        packedB = on.isCpu() ? Ops.packLinearWeight(b, 4096) : null;
        paths = new Kernels(kernels);
        startCompetingCore();
    }

    @Setup(Level.Iteration)
    public void pickKernels() {
        paths.nextIteration();
    }

    @Benchmark
    public long encoder() {
        long start = System.nanoTime();
        try (Tensor embedding = model.imageEncoder().forward(input)) {
            long n = Fixtures.awaitDevice(embedding);
            paths.record(System.nanoTime() - start);
            return n;
        }
    }

    /** The roofline: one float32 linear of the encoder's MLP shape, 10 per shot for a stable reading. */
    @Benchmark
    public long gemmTimesTen() {
        if (precision != SamModel.EncoderPrecision.FLOAT32) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < 10; i++) {
            try (org.cellpilot.torch.Scope s = org.cellpilot.torch.Scope.open()) {
                n += Fixtures.awaitDevice(Ops.linear(a, b, null));
            }
        }
        return n;
    }

    /** The same product on oneDNN with the weight reordered once, as the encoder's linear layers run it. */
    @Benchmark
    public long gemmOneDnnTimesTen() {
        if (precision != SamModel.EncoderPrecision.FLOAT32 || packedB == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < 10; i++) {
            try (org.cellpilot.torch.Scope s = org.cellpilot.torch.Scope.open()) {
                n += Ops.linearPacked(a, packedB, null, "none").numel();
            }
        }
        return n;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stopCompetingCore();
        paths.print("encoder");
        long before = Torch.opCalls();
        try (Tensor embedding = model.imageEncoder().forward(input)) {
            System.out.println("\nops per encoder pass: " + (Torch.opCalls() - before));
        }
        System.out.println("peak RSS (VmHWM) of this fork: " + Fixtures.peakRssMb() + " MB");
        input.close();
        a.close();
        b.close();
        if (packedB != null) {
            packedB.close();
        }
        model.close();
    }
}
