package org.cellpilot.benchmarks;

import java.util.concurrent.TimeUnit;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Tensor;
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
 * The cost of one op through the binding on a 1-element tensor, where the kernel itself costs almost nothing:
 * a dispatcher op (argument handles, the call, the result handle, its free) and a typed scalar shim.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class OpCallBenchmark {
    /** The libtorch binding: ffm (Java 22+) or jna (Java 17+), each in a fork of its own. */
    @Param({"ffm", "jna"})
    public String backend;

    private Tensor a;
    private Tensor b;

    @Setup(Level.Trial)
    public void setUp() {
        BenchmarkBackend.use(backend);
        a = Tensor.of(new float[] {1}, 1);
        b = Tensor.of(new float[] {2}, 1);
    }

    @Benchmark
    public long dispatcherOp() {
        try (Tensor t = Ops.mul(a, b)) {
            return t.handle();
        }
    }

    @Benchmark
    public long scalarShim() {
        try (Tensor t = Ops.add(a, b)) {
            return t.handle();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
    }
}
