package org.cellpilot.torch.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import org.cellpilot.torch.spi.NativeCallException;

/**
 * libtorch's C shims report a failure by logging the C++ exception, with its backtrace of a dozen frames, to
 * stderr and returning an error code; the stable ABI has no call that returns the message. So libtorch's log is
 * turned off (c10's {@code FLAGS_caffe2_log_level} set to FATAL, unless the user chose a level with
 * {@code TORCH_CPP_LOG_LEVEL}), and after a failure the same call is made once more with the log on and stderr
 * (file descriptor 2) redirected into memory, which yields the reason for the Java exception. The redirection
 * is short and serialised; stderr output of other threads that lands in it is written back.
 */
final class LibtorchLog {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final int ERROR = 2;
    private static final int FATAL = 3;
    private static final String MARK = "Exception in aoti_torch: ";
    private static final int STDERR = 2;
    private static final long CAPTURE_LIMIT = 1 << 16;

    /** c10's minimum level for a log line to be written; null when this libtorch logs through glog instead. */
    private final MemorySegment level;
    private final MethodHandle memfdCreate = libc("memfd_create", JAVA_INT, ADDRESS, JAVA_INT);
    private final MethodHandle dup = libc("dup", JAVA_INT, JAVA_INT);
    private final MethodHandle dup2 = libc("dup2", JAVA_INT, JAVA_INT, JAVA_INT);
    private final MethodHandle close = libc("close", JAVA_INT, JAVA_INT);
    private final MethodHandle lseek = libc("lseek", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private final MethodHandle read = libc("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private final MethodHandle write = libc("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);

    /** {@code levelSymbol} is libc10's {@code FLAGS_caffe2_log_level}, or null if it does not export one. */
    LibtorchLog(MemorySegment levelSymbol) {
        this.level = levelSymbol == null ? null : levelSymbol.reinterpret(4);
        if (level != null && System.getenv("TORCH_CPP_LOG_LEVEL") == null) {
            level.set(JAVA_INT, 0, FATAL);
        }
    }

    private static MethodHandle libc(String name, ValueLayout result, ValueLayout... args) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException(name + " not found in the C library"));
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args));
    }

    /**
     * Runs {@code call}, which just failed, again with the log captured, and returns libtorch's reason (the
     * exception's first line), or null when there is none (the call succeeded this time, or nothing was logged).
     */
    synchronized String reasonOf(Runnable call) {
        if (level == null) {
            return null;
        }
        System.err.flush();
        String captured;
        try (Arena arena = Arena.ofConfined()) {
            int memory = (int) memfdCreate.invokeExact(arena.allocateFrom("cellpilot-libtorch-log"), 0);
            if (memory < 0) {
                return null;
            }
            int saved = (int) dup.invokeExact(STDERR);
            int previous = level.get(JAVA_INT, 0);
            int redirected = (int) dup2.invokeExact(memory, STDERR);
            try {
                level.set(JAVA_INT, 0, Math.min(previous, ERROR));
                call.run();
            } catch (NativeCallException expected) {
                // The failure again: its reason is now in memory.
            } finally {
                level.set(JAVA_INT, 0, previous);
                if (redirected >= 0) {
                    int restored = (int) dup2.invokeExact(saved, STDERR);
                }
                int closed = (int) close.invokeExact(saved);
            }
            long size = Math.min(CAPTURE_LIMIT, (long) lseek.invokeExact(memory, 0L, 1));
            long rewound = (long) lseek.invokeExact(memory, 0L, 0);
            MemorySegment text = arena.allocate(Math.max(1, size));
            long got = (long) read.invokeExact(memory, text, size);
            int closed = (int) close.invokeExact(memory);
            captured = new String(text.asSlice(0, Math.max(0, got)).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        } catch (Throwable t) {
            if (t instanceof Error e) {
                throw e;
            }
            return null;
        }
        int mark = captured.indexOf(MARK);
        // What others wrote before libtorch's line goes back to stderr; libtorch's line and backtrace do not.
        int ours = mark < 0 ? captured.length() : captured.lastIndexOf('\n', mark) + 1;
        writeBack(captured.substring(0, ours));
        if (mark < 0) {
            return null;
        }
        int end = captured.indexOf('\n', mark);
        return captured.substring(mark + MARK.length(), end < 0 ? captured.length() : end).trim();
    }

    private void writeBack(String text) {
        if (text.isEmpty()) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            MemorySegment segment = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, segment, JAVA_BYTE, 0, bytes.length);
            long written = (long) write.invokeExact(STDERR, segment, (long) bytes.length);
        } catch (Throwable t) {
            if (t instanceof Error e) {
                throw e;
            }
        }
    }
}
