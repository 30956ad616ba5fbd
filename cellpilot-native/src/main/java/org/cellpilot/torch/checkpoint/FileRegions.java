package org.cellpilot.torch.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-only memory for parts of one open checkpoint file: mapped in place where it can be, copied where it must be.
 *
 * <p>Regions are slices of a few large mappings (the whole file when it is under 2 GB) rather than one mapping each:
 * a Java 17 mapping is only unmapped when the garbage collector finds it unreachable, and a JVM with a large, quiet
 * heap that loaded a checkpoint of hundreds of tensors a few hundred times ran into the kernel's limit of 65,530
 * mappings per process, which the JVM reports as out of memory and dies of.
 */
final class FileRegions {
    /** The most one ByteBuffer can address, less the slack {@link #allocate} adds for alignment. */
    static final long MAX_REGION = Integer.MAX_VALUE - 7;

    private record Window(long start, ByteBuffer mapping) {
        boolean covers(long position, long size) {
            return position >= start && position + size <= start + mapping.capacity();
        }
    }

    private final FileChannel channel;
    private final long size;
    private final long windowSize;
    private final List<Window> windows = new ArrayList<>(1);

    FileRegions(FileChannel channel) throws IOException {
        this(channel, MAX_REGION);
    }

    /** {@code windowSize} is the most one mapping covers; tests make it small to cross windows. */
    FileRegions(FileChannel channel, long windowSize) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.windowSize = windowSize;
    }

    long size() {
        return size;
    }

    /**
     * Maps {@code length} bytes at {@code position}. libtorch kernels assume element-aligned data, and a region
     * lies at its file offset's page remainder, so one whose file offset is not a multiple of {@code alignment} is
     * copied into aligned memory instead.
     */
    ByteBuffer map(long position, long length, int alignment) throws IOException {
        checkSize(length, position);
        if (position < 0 || length > size - position) {
            throw new CheckpointException("a " + length + "-byte region at offset " + position + " runs past the end of the "
                    + size + "-byte file (truncated?)");
        }
        Window w = window(position, length);
        int at = (int) (position - w.start);
        ByteBuffer region = w.mapping.slice(at, (int) length);
        return region.alignmentOffset(0, alignment) == 0 ? region : copyAligned(region);
    }

    /** Reads {@code length} bytes at {@code position} onto the heap (for headers and pickles, not tensor data). */
    byte[] read(long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw new CheckpointException("file ends inside a " + length + "-byte region at offset " + position);
            }
        }
        return b.array();
    }

    /** How many mappings this file's regions share. */
    int mappings() {
        return windows.size();
    }

    private Window window(long position, long length) throws IOException {
        for (Window w : windows) {
            if (w.covers(position, length)) {
                return w;
            }
        }
        // A window ends at the end of the file where it can, so that one covers a whole small file.
        long start = Math.max(0, Math.min(position, size - windowSize));
        long span = Math.min(Math.max(windowSize, length), size - start);
        Window w = new Window(start, channel.map(FileChannel.MapMode.READ_ONLY, start, span));
        windows.add(w);
        return w;
    }

    /** Whether {@code region}, from {@link #map}, is the file's mapping: copies are writable, mappings read-only. */
    static boolean isMapping(ByteBuffer region) {
        return region.isReadOnly();
    }

    /** Native memory of {@code size} bytes, aligned for every element type. */
    static ByteBuffer allocate(long size, long position) {
        checkSize(size, position);
        ByteBuffer b = ByteBuffer.allocateDirect((int) size + 7).alignedSlice(8);
        return b.limit((int) size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer copyAligned(ByteBuffer source) {
        ByteBuffer copy = allocate(source.remaining(), 0);
        copy.put(source.duplicate()).flip();
        return copy;
    }

    /** Tensor memory is addressed through a ByteBuffer, so one storage or tensor must fit in 2 GB. */
    private static void checkSize(long size, long position) {
        if (size > MAX_REGION) {
            throw new CheckpointException("a storage of " + size + " bytes at offset " + position
                    + " is larger than the 2 GB this reader maps at once");
        }
    }
}
