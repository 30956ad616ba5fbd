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
import org.cellpilot.torch.spi.Libc;
import org.cellpilot.torch.spi.LibtorchLog;

/** {@link Libc} over FFM downcalls, and c10's log level as a segment. */
final class FfmLibc implements Libc {
    private static final Linker LINKER = Linker.nativeLinker();

    private final MethodHandle memfdCreate;
    private final MethodHandle dup;
    private final MethodHandle dup2;
    private final MethodHandle close;
    private final MethodHandle lseek;
    private final MethodHandle read;
    private final MethodHandle write;

    private FfmLibc(MethodHandle[] f) {
        memfdCreate = f[0];
        dup = f[1];
        dup2 = f[2];
        close = f[3];
        lseek = f[4];
        read = f[5];
        write = f[6];
    }

    /** The C library's functions, or null if it lacks one (glibc before 2.27 has no memfd_create). */
    static FfmLibc bind() {
        MethodHandle[] f = {
            libc("memfd_create", JAVA_INT, ADDRESS, JAVA_INT),
            libc("dup", JAVA_INT, JAVA_INT),
            libc("dup2", JAVA_INT, JAVA_INT, JAVA_INT),
            libc("close", JAVA_INT, JAVA_INT),
            libc("lseek", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT),
            libc("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            libc("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
        };
        for (MethodHandle h : f) {
            if (h == null) {
                return null;
            }
        }
        return new FfmLibc(f);
    }

    /** libc10's {@code FLAGS_caffe2_log_level}, or null if this libtorch logs through glog and has none. */
    static LibtorchLog.Level level(MemorySegment symbol) {
        if (symbol == null) {
            return null;
        }
        MemorySegment level = symbol.reinterpret(4);
        return new LibtorchLog.Level() {
            @Override
            public int get() {
                return level.get(JAVA_INT, 0);
            }

            @Override
            public void set(int value) {
                level.set(JAVA_INT, 0, value);
            }
        };
    }

    private static MethodHandle libc(String name, ValueLayout result, ValueLayout... args) {
        return LINKER.defaultLookup().find(name).map(symbol -> LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args)))
                .orElse(null);
    }

    @Override
    public int memfdCreate(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) memfdCreate.invokeExact(arena.allocateFrom(name), 0);
        } catch (Throwable t) {
            throw FfmBackend.rethrow(t);
        }
    }

    @Override
    public int dup(int fd) {
        try {
            return (int) dup.invokeExact(fd);
        } catch (Throwable t) {
            throw FfmBackend.rethrow(t);
        }
    }

    @Override
    public int dup2(int fd, int target) {
        try {
            return (int) dup2.invokeExact(fd, target);
        } catch (Throwable t) {
            throw FfmBackend.rethrow(t);
        }
    }

    @Override
    public int close(int fd) {
        try {
            return (int) close.invokeExact(fd);
        } catch (Throwable t) {
            throw FfmBackend.rethrow(t);
        }
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        try {
            return (long) lseek.invokeExact(fd, offset, whence);
        } catch (Throwable t) {
            throw FfmBackend.rethrow(t);
        }
    }

    @Override
    public long read(int fd, byte[] into) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, into.length));
            long got = (long) read.invokeExact(fd, buffer, (long) into.length);
            MemorySegment.copy(buffer, JAVA_BYTE, 0, into, 0, (int) Math.max(0, got));
            return got;
        } catch (Throwable t) {
            throw FfmBackend.rethrow(t);
        }
    }

    @Override
    public long write(int fd, byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, 0, bytes.length);
            return (long) write.invokeExact(fd, buffer, (long) bytes.length);
        } catch (Throwable t) {
            throw FfmBackend.rethrow(t);
        }
    }
}
