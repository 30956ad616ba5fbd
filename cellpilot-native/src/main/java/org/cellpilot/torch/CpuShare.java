package org.cellpilot.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How many of the machine's cores other processes keep busy, from the kernel's counters: all CPU time in
 * {@code /proc/stat} less this process's in {@code /proc/self/stat}, over the time since the previous reading. It
 * reads again at most every {@value #WINDOW_MILLIS} ms and otherwise answers from the last window. Steal time, taken
 * by the hypervisor, counts as busy. Without {@code /proc} (or with unreadable counters) it reports none busy.
 */
final class CpuShare {
    private static final long WINDOW_MILLIS = 100;
    private static final Path SYSTEM = Path.of("/proc/stat");
    private static final Path SELF = Path.of("/proc/self/stat");

    private long readAt;
    /** Counters of the last reading: busy and total ticks of all CPUs, this process's ticks. */
    private long busy;
    private long total;
    private long self;
    private int cpus;
    private double othersBusy;

    /** Cores that other processes used in the last window, between 0 and the number of CPUs. */
    synchronized double othersBusyCores() {
        long now = System.nanoTime() / 1_000_000;
        if (readAt != 0 && now - readAt < WINDOW_MILLIS) {
            return othersBusy;
        }
        long[] c = counters();
        if (c == null) {
            return 0;
        }
        if (readAt != 0 && c[1] > total) {
            double perCpu = (double) (c[1] - total) / cpus;
            othersBusy = Math.max(0, Math.min(cpus, (c[0] - busy - (c[2] - self)) / perCpu));
        }
        readAt = now;
        busy = c[0];
        total = c[1];
        self = c[2];
        return othersBusy;
    }

    /** {busy, total, self} in clock ticks, or null where the kernel's counters cannot be read. */
    private long[] counters() {
        try {
            List<String> lines = Files.readAllLines(SYSTEM);
            String[] all = lines.get(0).trim().split("\\s+");
            if (!all[0].equals("cpu") || all.length < 9) {
                return null;
            }
            long sum = 0;
            for (int i = 1; i <= 8; i++) {
                sum += Long.parseLong(all[i]); // user nice system idle iowait irq softirq steal
            }
            long idle = Long.parseLong(all[4]) + Long.parseLong(all[5]);
            cpus = (int) lines.stream().filter(l -> l.matches("cpu\\d+ .*")).count();
            // The command name, field 2, may hold spaces and parentheses: count fields after its last ')'.
            String stat = Files.readString(SELF);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ours = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return cpus == 0 ? null : new long[] {sum - idle, sum, ours};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
