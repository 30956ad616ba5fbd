package org.cellpilot.benchmarks;

import java.util.Locale;
import org.cellpilot.torch.Torch;

/**
 * The {@code backend} parameter of a benchmark (ffm or jna). JMH runs each parameter set in a fork of its own, and
 * libtorch loads once per JVM, so the backend is chosen in the trial set-up, before anything touches Torch.
 */
final class BenchmarkBackend {
    private BenchmarkBackend() {
    }

    static void use(String backend) {
        System.setProperty(Torch.BACKEND_PROPERTY, backend);
        String running = Torch.get().backendName();
        if (!running.toLowerCase(Locale.ROOT).contains(backend.toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException("backend " + backend + " requested, but this JVM already runs on " + running
                    + ": run the benchmark forked (-f 1 or more)");
        }
    }
}
