package org.cellpilot.torch.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** Read-only memory for parts of a checkpoint file: mapped in place where it can be, copied where it must be. */
final class FileRegions {
    private FileRegions() {
    }

    /**
     * Maps {@code size} bytes at {@code position}. libtorch kernels assume element-aligned data, and a mapping
     * starts at the file offset's page remainder, so a region whose file offset is not a multiple of
     * {@code alignment} is copied into aligned memory instead.
     */
    static ByteBuffer map(FileChannel channel, long position, long size, int alignment) throws IOException {
        checkSize(size, position);
        ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, position, size);
        return mapped.alignmentOffset(0, alignment) == 0 ? mapped : copyAligned(mapped);
    }

    /** Whether {@code region}, from {@link #map}, is the file's mapping: copies are writable, mappings read-only. */
    static boolean isMapping(ByteBuffer region) {
        return region.isReadOnly();
    }

    /** Reads {@code size} bytes at {@code position} onto the heap (for headers and pickles, not tensor data). */
    static byte[] read(FileChannel channel, long position, int size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(size);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw new CheckpointException("file ends inside a " + size + "-byte region at offset " + position);
            }
        }
        return b.array();
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
        if (size > Integer.MAX_VALUE - 7) {
            throw new CheckpointException("a storage of " + size + " bytes at offset " + position
                    + " is larger than the 2 GB this reader maps at once");
        }
    }
}
