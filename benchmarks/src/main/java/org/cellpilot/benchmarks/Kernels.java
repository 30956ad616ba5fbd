package org.cellpilot.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.nn.OneDnn;

/**
 * The {@code kernels} parameter: {@code onednn} (the default path), {@code blas} (libtorch's default BLAS path,
 * {@code cellpilot.onednn=false}), or {@code alternate}: both in one fork, switching at every iteration, so that
 * their ratio is not at the mercy of a noisy machine between forks. Each shot's time is kept per path and
 * printed at the end of the trial; the JMH score of an {@code alternate} trial mixes both.
 */
final class Kernels {
    private final String choice;
    private final Map<String, List<Double>> shots = new LinkedHashMap<>();
    private int iteration;
    private String current;

    Kernels(String choice) {
        if (!List.of("onednn", "blas", "alternate").contains(choice)) {
            throw new IllegalArgumentException("kernels must be onednn, blas or alternate, got " + choice);
        }
        this.choice = choice;
    }

    /** Call at each iteration's start: picks the path for it. */
    void nextIteration() {
        current = choice.equals("alternate") ? (iteration++ % 2 == 0 ? "onednn" : "blas") : choice;
        System.setProperty(OneDnn.PROPERTY, Boolean.toString(current.equals("onednn")));
    }

    void record(long nanos) {
        shots.computeIfAbsent(current, k -> new ArrayList<>()).add(nanos / 1e6);
    }

    /** Every shot per path (warm-up included, first), and the ratio of the paths' fastest shots. */
    void print(String what) {
        shots.forEach((path, ms) -> System.out.printf("%n%s on %s, ms per shot: %s (min %.0f)", what, path, ms,
                ms.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)));
        if (shots.size() == 2) {
            double a = shots.get("onednn").stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double b = shots.get("blas").stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            System.out.printf("%n%s: onednn / blas = %.3f (fastest shots)%n", what, a / b);
        }
    }
}
