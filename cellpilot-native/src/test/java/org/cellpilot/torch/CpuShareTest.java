package org.cellpilot.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Other processes' use of the cores, as a click's thread count follows it: a busy process shows as about one core,
 * this process's own work does not show, and a latency-bound call runs on fewer threads then and restores them.
 */
class CpuShareTest {
    @Test
    void aBusyProcessShowsAsAboutOneCoreAndTakesAThreadFromAClick() throws Exception {
        Process busy = new ProcessBuilder(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-Xint", "-Xmx16m", "-cp", System.getProperty("java.class.path"), Spin.class.getName())).start();
        try {
            CpuShare share = new CpuShare();
            Torch torch = Torch.get();
            // Past the JVM's start-up, which is busier than one core, then half a second of the spinning alone.
            long started = awaitTicks(busy.pid(), 50);
            share.othersBusyCores();
            torch.latencyBound(() -> 0);
            awaitTicks(busy.pid(), started + 50);
            double others = share.othersBusyCores();
            assertTrue(others > 0.7 && others < 1.6, "a spinning process read as " + others + " busy cores");
            int configured = torch.threads();
            int inside = torch.latencyBound(() -> torch.backend.threads());
            if (configured == Runtime.getRuntime().availableProcessors() && configured > 1) {
                assertTrue(inside < configured, inside + " threads with a core taken, of " + configured);
            }
            assertEquals(configured, torch.backend.threads());
        } finally {
            busy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void thisProcessesOwnWorkIsNotCounted() throws Exception {
        CpuShare share = new CpuShare();
        share.othersBusyCores();
        long end = System.nanoTime() + 600_000_000L;
        long spins = 0;
        while (System.nanoTime() < end) {
            spins++;
        }
        double others = share.othersBusyCores();
        assertTrue(spins > 0 && others < 0.5, "a thread of this process read as " + others + " busy cores of others");
    }

    /**
     * Waits, spinning (this process's own work, which the share leaves out), until process {@code pid} has used
     * {@code ticks} clock ticks of CPU; returns its count then.
     */
    private static long awaitTicks(long pid, long ticks) throws java.io.IOException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (used >= ticks) {
                return used;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the spinning process used " + used + " ticks in 30 s");
            }
            Thread.onSpinWait();
        }
    }

    /** A process that keeps one core busy until it is destroyed. */
    public static final class Spin {
        public static void main(String[] args) {
            long x = 0;
            while (x >= 0) {
                x++;
            }
        }
    }
}
