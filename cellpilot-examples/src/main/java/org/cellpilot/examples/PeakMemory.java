package org.cellpilot.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident memory (Linux VmHWM), which the README's memory bounds are stated in. */
final class PeakMemory {
    private PeakMemory() {}

    /** "612 MB RSS", or "unknown" where /proc is not there. */
    static String describe() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return kb / 1024 + " MB RSS";
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the peak is just not reported.
        }
        return "unknown";
    }
}
