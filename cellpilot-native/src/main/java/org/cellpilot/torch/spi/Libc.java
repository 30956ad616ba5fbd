package org.cellpilot.torch.spi;

/**
 * The C library functions that redirect and read file descriptor 2, as {@link StandardError} needs them. Each
 * backend binds them its own way (FFM, JNA); the results are the C functions' own (-1 on failure).
 */
public interface Libc {
    int memfdCreate(String name);

    int dup(int fd);

    int dup2(int fd, int target);

    int close(int fd);

    long lseek(int fd, long offset, int whence);

    /** {@code read(fd, into, into.length)}. */
    long read(int fd, byte[] into);

    /** {@code write(fd, bytes, bytes.length)}. */
    long write(int fd, byte[] bytes);
}
