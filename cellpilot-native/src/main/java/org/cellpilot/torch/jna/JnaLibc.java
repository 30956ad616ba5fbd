package org.cellpilot.torch.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.cellpilot.torch.spi.Libc;
import org.cellpilot.torch.spi.LibtorchLog;

/** {@link Libc} over JNA's direct mapping, and c10's log level through a JNA pointer. */
public final class JnaLibc implements Libc {
    private static final JnaLibc INSTANCE = bind();

    /** The C library's functions, bound once per class loader as direct mapping requires. */
    private static final class C {
        private C() {
        }

        static native int memfd_create(String name, int flags);

        static native int dup(int fd);

        static native int dup2(int fd, int target);

        static native int close(int fd);

        static native long lseek(int fd, long offset, int whence);

        static native long read(int fd, byte[] into, long count);

        static native long write(int fd, byte[] bytes, long count);
    }

    private JnaLibc() {
    }

    private static JnaLibc bind() {
        try {
            Native.register(C.class, NativeLibrary.getInstance("c"));
            return new JnaLibc();
        } catch (UnsatisfiedLinkError | IllegalArgumentException absent) {
            // glibc before 2.27 has no memfd_create: libtorch's log then stays as it is.
            return null;
        }
    }

    /** The C library's functions, or null if it lacks one. */
    public static JnaLibc get() {
        return INSTANCE;
    }

    /** c10's log level at {@code address}, or null if this libtorch has none. */
    static LibtorchLog.Level level(Pointer address) {
        if (address == null) {
            return null;
        }
        return new LibtorchLog.Level() {
            @Override
            public int get() {
                return address.getInt(0);
            }

            @Override
            public void set(int value) {
                address.setInt(0, value);
            }
        };
    }

    @Override
    public int memfdCreate(String name) {
        return C.memfd_create(name, 0);
    }

    @Override
    public int dup(int fd) {
        return C.dup(fd);
    }

    @Override
    public int dup2(int fd, int target) {
        return C.dup2(fd, target);
    }

    @Override
    public int close(int fd) {
        return C.close(fd);
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        return C.lseek(fd, offset, whence);
    }

    @Override
    public long read(int fd, byte[] into) {
        return C.read(fd, into, into.length);
    }

    @Override
    public long write(int fd, byte[] bytes) {
        return C.write(fd, bytes, bytes.length);
    }
}
