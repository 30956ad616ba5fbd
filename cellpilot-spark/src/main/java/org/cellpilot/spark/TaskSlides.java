package org.cellpilot.spark;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.cellpilot.Slide;

/**
 * The slides a task reads, opened at the task's first tile of each and closed when the task ends, so that the
 * tiles of a task share one open file and its cache of decoded tiles.
 */
final class TaskSlides {
    private static final Map<Long, Map<String, Slide>> OPEN = new ConcurrentHashMap<>();

    private TaskSlides() {
    }

    static Slide open(String path) throws IOException {
        TaskContext task = TaskContext.get();
        if (task == null) {
            throw new IllegalStateException("slides are opened by Spark tasks");
        }
        Map<String, Slide> slides = OPEN.computeIfAbsent(task.taskAttemptId(), id -> {
            task.addTaskCompletionListener((TaskCompletionListener) ended -> closeAll(ended.taskAttemptId()));
            return new HashMap<>();
        });
        Slide s = slides.get(path);
        if (s == null) {
            s = Slide.open(LocalFiles.of(path));
            slides.put(path, s);
        }
        return s;
    }

    private static void closeAll(long taskAttemptId) {
        Map<String, Slide> slides = OPEN.remove(taskAttemptId);
        if (slides != null) {
            slides.values().forEach(Slide::close);
        }
    }
}
