package org.cellpilot.torch.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

/**
 * The ops that ran on the {@linkplain SimulatedCudaBackend simulated CUDA device} and on the CPU since
 * {@link #start}: how a test shows that its work really ran on the GPU, so that it fails when a device request is
 * silently ignored.
 */
public final class CudaWork {
    /** Ops allowed on the CPU per op on the GPU: loading (LoRA merges) and the test's own reads of reference data. */
    private static final double HOST_SHARE = 0.05;

    private final long cudaAtStart = SimulatedCudaBackend.cudaOps();
    private final long cpuAtStart = SimulatedCudaBackend.cpuOps();
    private final Map<String, Long> watchedAtStart = new HashMap<>();

    private CudaWork(String... watched) {
        for (String op : watched) {
            watchedAtStart.put(op, SimulatedCudaBackend.cudaOps(op));
        }
    }

    /** Starts counting; {@code watched} ops ({@code "aten::linear"}, …) are also counted one by one. */
    public static CudaWork start(String... watched) {
        return new CudaWork(watched);
    }

    /** Runs of a watched op on CUDA tensors since the start. */
    public long cudaOps(String op) {
        Long atStart = watchedAtStart.get(op);
        if (atStart == null) {
            throw new IllegalArgumentException(op + " is not watched; name it in CudaWork.start");
        }
        return SimulatedCudaBackend.cudaOps(op) - atStart;
    }

    /** Fails unless at least {@code minimum} ops ran on CUDA since the start. */
    public void assertRanOnCuda(long minimum) {
        assertTrue(cuda() >= minimum, counts() + "; expected at least " + minimum + " on cuda");
    }

    /** As {@link #assertRanOnCuda}, for work that should all run there: nearly every other op must have run there too. */
    public void assertMostlyOnCuda(long minimum) {
        assertRanOnCuda(minimum);
        assertTrue(SimulatedCudaBackend.cpuOps() - cpuAtStart <= HOST_SHARE * cuda(),
                counts() + "; at most " + HOST_SHARE + " per cuda op may stay on the cpu");
    }

    private long cuda() {
        return SimulatedCudaBackend.cudaOps() - cudaAtStart;
    }

    private String counts() {
        return cuda() + " ops ran on cuda, " + (SimulatedCudaBackend.cpuOps() - cpuAtStart) + " on the cpu";
    }
}
