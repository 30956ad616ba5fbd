package org.cellpilot.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.cellpilot.CellPilot;

/**
 * The models of this JVM: each executor loads a {@link CellPilot} once per {@link ModelSpec} at its first tile,
 * and its concurrent tasks share it (a CellPilot is thread-safe). libtorch gets {@code spark.task.cpus} intra-op
 * threads, so that the executor's cores × threads per task never exceed its cores.
 */
final class ExecutorModels {
    private static final Map<ModelSpec, CellPilot> LOADED = new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    /** The CellPilot for {@code spec} in this JVM, with the current task's CPUs as its threads. */
    static CellPilot forTask(ModelSpec spec) {
        TaskContext task = TaskContext.get();
        ModelSpec withThreads = spec.withThreads(task == null ? spec.threads() : task.cpus());
        return LOADED.computeIfAbsent(withThreads, s -> {
            try {
                return s.load();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the models " + s, e);
            }
        });
    }

    /** Frees the models; for a driver that ran its tasks in its own JVM (local mode), once the job is over. */
    static void closeAll() {
        LOADED.values().forEach(CellPilot::close);
        LOADED.clear();
    }
}
