package org.cellpilot.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/**
 * How many of the cores this process may run on other processes keep busy, from the kernel's counters: the CPU
 * time of the allowed CPUs in {@code /proc/stat} (its {@code cpuN} lines, for {@code Cpus_allowed_list} of
 * {@code /proc/self/status}) less this process's own in {@code /proc/self/stat}, over the time since the previous
 * reading. It reads again at most every {@value #WINDOW_MILLIS} ms and otherwise answers from the last window.
 * Steal time, taken by the hypervisor, counts as busy. Without {@code /proc} it reports every core free.
 */
final class CpuShare {
    private static final long WINDOW_MILLIS = 100;
    private static final Path SYSTEM = Path.of("/proc/stat");
    private static final Path SELF = Path.of("/proc/self/stat");
    private static final Path STATUS = Path.of("/proc/self/status");

    private final int processors = Runtime.getRuntime().availableProcessors();
    private long readAt;
    /** Counters of the last reading: busy and total ticks of the allowed CPUs, this process's ticks. */
    private long busy;
    private long total;
    private long self;
    private int allowed;
    private double othersBusy;

    /** Cores of the allowed ones that other processes used in the last window. */
    synchronized double othersBusyCores() {
        long now = System.nanoTime() / 1_000_000;
        if (readAt != 0 && now - readAt < WINDOW_MILLIS) {
            return othersBusy;
        }
        long[] c = counters();
        if (c == null) {
            return 0;
        }
        if (readAt != 0 && c[1] > total && allowed > 0) {
            double perCpu = (double) (c[1] - total) / allowed;
            othersBusy = Math.max(0, Math.min(allowed, (c[0] - busy - (c[2] - self)) / perCpu));
        }
        readAt = now;
        busy = c[0];
        total = c[1];
        self = c[2];
        return othersBusy;
    }

    /**
     * The cores this process can have now: those of its allowed CPUs that others leave free, at most the JVM's
     * processor count (a container's CPU quota may be smaller than the CPUs it may run on).
     */
    synchronized double freeCores() {
        double others = othersBusyCores();
        return allowed == 0 ? processors : Math.min(processors, allowed - others);
    }

    /** {busy, total, self} in clock ticks, or null where the kernel's counters cannot be read. */
    private long[] counters() {
        try {
            BitSet cpus = allowedCpus();
            long sum = 0;
            long idle = 0;
            int count = 0;
            for (String line : Files.readAllLines(SYSTEM)) {
                if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                if (cpus != null && !cpus.get(Integer.parseInt(f[0].substring(3)))) {
                    continue;
                }
                for (int i = 1; i <= 8; i++) {
                    sum += Long.parseLong(f[i]); // user nice system idle iowait irq softirq steal
                }
                idle += Long.parseLong(f[4]) + Long.parseLong(f[5]);
                count++;
            }
            // The command name, field 2, may hold spaces and parentheses: count fields after its last ')'.
            String stat = Files.readString(SELF);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ours = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            allowed = count;
            return count == 0 ? null : new long[] {sum - idle, sum, ours};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The CPUs of {@code Cpus_allowed_list}, e.g. "0-3,8", or null (all) where it is missing. */
    private static BitSet allowedCpus() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("Cpus_allowed_list:")) {
                BitSet set = new BitSet();
                for (String range : line.substring(line.indexOf(':') + 1).trim().split(",")) {
                    String[] ends = range.split("-");
                    int from = Integer.parseInt(ends[0].trim());
                    set.set(from, Integer.parseInt(ends[ends.length - 1].trim()) + 1);
                }
                return set;
            }
        }
        return null;
    }
}
