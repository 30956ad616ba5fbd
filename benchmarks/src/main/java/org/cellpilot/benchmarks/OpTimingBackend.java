package org.cellpilot.benchmarks;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.cellpilot.torch.spi.ForwardingTorchBackend;
import org.cellpilot.torch.spi.TorchBackend;

/**
 * Adds up the time spent inside libtorch's ops, so that a benchmark can tell how much of a run is Java work around
 * them (for automatic mode: the region resizes and masks, that is, mask post-processing). Installed in a fork with
 * {@code -Dcellpilot.backend.decorator=org.cellpilot.benchmarks.OpTimingBackend}; two clock reads per op (~50 ns)
 * against ops of tens of microseconds and more.
 */
public final class OpTimingBackend extends ForwardingTorchBackend {
    private static final LongAdder NANOS = new LongAdder();

    public OpTimingBackend(TorchBackend delegate) {
        super(delegate);
    }

    /** Nanoseconds spent in ops since the JVM started. */
    static long nanos() {
        return NANOS.sum();
    }

    private static long timed(LongSupplier call) {
        long t = System.nanoTime();
        try {
            return call.getAsLong();
        } finally {
            NANOS.add(System.nanoTime() - t);
        }
    }

    @Override
    public void callDispatcher(String op, String overload, long[] stack, int inputs, int outputs) {
        timed(() -> {
            delegate.callDispatcher(op, overload, stack, inputs, outputs);
            return 0;
        });
    }

    @Override
    public long addTensor(long self, long other, double alpha, int deviceType) {
        return timed(() -> delegate.addTensor(self, other, alpha, deviceType));
    }

    @Override
    public long addScalar(long self, double other, double alpha, int deviceType) {
        return timed(() -> delegate.addScalar(self, other, alpha, deviceType));
    }

    @Override
    public long mulScalar(long self, double other, int deviceType) {
        return timed(() -> delegate.mulScalar(self, other, deviceType));
    }

    @Override
    public void baddbmmOut(long out, long self, long batch1, long batch2, double beta, double alpha, int deviceType) {
        timed(() -> {
            delegate.baddbmmOut(out, self, batch1, batch2, beta, alpha, deviceType);
            return 0;
        });
    }

    @Override
    public void copyInto(long dst, long src) {
        timed(() -> {
            delegate.copyInto(dst, src);
            return 0;
        });
    }
}
