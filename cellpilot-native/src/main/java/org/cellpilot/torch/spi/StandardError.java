package org.cellpilot.torch.spi;

import java.nio.charset.StandardCharsets;

/**
 * What native code writes to the process's stderr (file descriptor 2, which Java's System.err does not see),
 * caught by pointing descriptor 2 at an in-memory file for a while.
 */
public final class StandardError {
    private static final int STDERR = 2;
    private static final int SEEK_SET = 0;
    private static final int SEEK_CUR = 1;
    private static final int CAPTURE_LIMIT = 1 << 16;

    private StandardError() {
    }

    /**
     * Runs {@code body} with descriptor 2 redirected into memory and returns what was written to it (its first 64
     * KiB), or null when no in-memory file could be made (then {@code body} has not run).
     */
    public static String capture(Libc libc, Runnable body) {
        System.err.flush();
        int memory = libc.memfdCreate("cellpilot-stderr");
        if (memory < 0) {
            return null;
        }
        try {
            int saved = libc.dup(STDERR);
            if (saved < 0) {
                return null;
            }
            boolean redirected = libc.dup2(memory, STDERR) == STDERR;
            try {
                body.run();
            } finally {
                System.err.flush();
                if (redirected) {
                    libc.dup2(saved, STDERR);
                }
                libc.close(saved);
            }
            long size = Math.min(CAPTURE_LIMIT, libc.lseek(memory, 0L, SEEK_CUR));
            byte[] text = new byte[(int) Math.max(0, size)];
            long got = libc.lseek(memory, 0L, SEEK_SET) == 0 ? libc.read(memory, text) : -1;
            return new String(text, 0, (int) Math.max(0, got), StandardCharsets.UTF_8);
        } finally {
            libc.close(memory);
        }
    }

    /** Writes {@code text} to descriptor 2 as native code would. */
    public static void write(Libc libc, String text) {
        if (!text.isEmpty()) {
            libc.write(STDERR, text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
