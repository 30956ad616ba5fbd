package org.cellpilot.torch.spi;

/**
 * libtorch's C shims report a failure by logging the C++ exception, with its backtrace of a dozen frames, to
 * stderr and returning an error code; the stable ABI has no call that returns the message. So libtorch's log is
 * turned off (c10's {@code FLAGS_caffe2_log_level} set to FATAL, unless the user chose a level with
 * {@code TORCH_CPP_LOG_LEVEL}), and after a failure the same call is made once more with the log on and stderr
 * redirected into memory ({@link StandardError}), which yields the reason for the Java exception. The
 * redirection is short and serialised; stderr output of other threads that lands in it is written back. Both
 * backends use this class, so both give the same messages and keep the same silence.
 */
public final class LibtorchLog {
    private static final int ERROR = 2;
    private static final int FATAL = 3;
    private static final String MARK = "Exception in aoti_torch: ";

    /** c10's log level: an {@code int} in libc10's memory. */
    public interface Level {
        int get();

        void set(int level);
    }

    /** A log that cannot be captured: the C library or libc10 lacks what it needs, so libtorch logs as it always does. */
    static final LibtorchLog UNAVAILABLE = new LibtorchLog(null, null);

    private final Libc libc;
    private final Level level;

    /** Turns libtorch's log off; null for either argument means it stays as it is and no reason is obtained. */
    public LibtorchLog(Libc libc, Level level) {
        boolean usable = libc != null && level != null;
        this.libc = usable ? libc : null;
        this.level = usable ? level : null;
        if (usable && System.getenv("TORCH_CPP_LOG_LEVEL") == null) {
            level.set(FATAL);
        }
    }

    /**
     * Runs {@code call}, which just failed, again with the log captured, and returns libtorch's reason (the
     * exception's first line), or null when there is none (the call succeeded this time, or nothing was logged).
     */
    synchronized String reasonOf(Runnable call) {
        if (level == null) {
            return null;
        }
        int previous = level.get();
        String captured = StandardError.capture(libc, () -> {
            level.set(Math.min(previous, ERROR));
            try {
                call.run();
            } catch (NativeCallException expected) {
                // The failure again: its reason is now in memory.
            } finally {
                level.set(previous);
            }
        });
        if (captured == null) {
            return null;
        }
        int mark = captured.indexOf(MARK);
        // What others wrote before libtorch's line goes back to stderr; libtorch's line and backtrace do not.
        int ours = mark < 0 ? captured.length() : captured.lastIndexOf('\n', mark) + 1;
        StandardError.write(libc, captured.substring(0, ours));
        if (mark < 0) {
            return null;
        }
        int end = captured.indexOf('\n', mark);
        return captured.substring(mark + MARK.length(), end < 0 ? captured.length() : end).trim();
    }
}
