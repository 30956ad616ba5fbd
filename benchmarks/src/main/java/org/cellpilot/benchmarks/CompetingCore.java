package org.cellpilot.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code cpu} parameter: {@code quiet}, or {@code shared}, where another process keeps one core busy for the
 * whole trial, as a viewer or a server sharing the machine would. That process is a one-thread busy loop in a
 * small JVM, started in the trial's set-up and destroyed in its tear-down; it also ends by itself after
 * {@link #LIMIT_SECONDS}, so a killed benchmark cannot leave it running.
 */
final class CompetingCore implements AutoCloseable {
    static final long LIMIT_SECONDS = 1800;

    private final Process process;

    private CompetingCore(Process process) {
        this.process = process;
    }

    /** Starts the competing process for {@code cpu = shared}; null for {@code quiet}. */
    static CompetingCore start(String cpu) throws IOException {
        switch (cpu.toLowerCase(Locale.ROOT)) {
            case "quiet":
                return null;
            case "shared":
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                Process p = new ProcessBuilder(List.of(java, "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                        CompetingCore.class.getName(), Long.toString(LIMIT_SECONDS)))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return new CompetingCore(p);
            default:
                throw new IllegalArgumentException("cpu must be quiet or shared, got " + cpu);
        }
    }

    /** The competing process: spins on one thread until the time limit. */
    public static void main(String[] args) {
        long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1_000_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        if (x == 42) {
            System.out.println(x);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
