package org.cellpilot.benchmarks;

import java.io.IOException;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The parameters of the benchmarks that issue 16's targets are stated in: which libtorch binding runs, and whether
 * another process takes one of the cores meanwhile. A subclass starts the competing process at the end of its
 * trial set-up, so that loading the model is not measured against it, and stops it first in its tear-down.
 */
@State(Scope.Benchmark)
public abstract class SharedCpuParams {
    /** The libtorch binding: ffm (Java 22+) or jna (Java 17+), each in a fork of its own. */
    @Param({"ffm", "jna"})
    public String backend;

    /** quiet, or shared: another process keeps one core busy during the trial ({@link CompetingCore}). */
    @Param({"quiet", "shared"})
    public String cpu;

    private CompetingCore competing;

    protected final void startCompetingCore() throws IOException {
        competing = CompetingCore.start(cpu);
    }

    protected final void stopCompetingCore() {
        if (competing != null) {
            competing.close();
            competing = null;
        }
    }
}
