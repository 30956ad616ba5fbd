package org.cellpilot.torch.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Tensor;

/**
 * Writes a file through a temporary sibling that replaces it only when complete, so that a reader (an
 * embeddings cache, a second process) never maps a half-written checkpoint.
 */
final class OutputFile {
    interface Body {
        void write(FileChannel channel) throws IOException;
    }

    interface BytesConsumer {
        void accept(ByteBuffer bytes) throws IOException;
    }

    private OutputFile() {
    }

    static void write(Path file, Body body) {
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            // Not Files.createTempFile: its owner-only permissions would carry over to the finished file.
            tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.write(channel);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e instanceof IOException ? new UncheckedIOException("cannot write " + file, (IOException) e) : (RuntimeException) e;
        }
    }

    static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Hands {@code body} the bytes of {@code t} as a contiguous CPU copy, in the little-endian order of the files. */
    static void withBytes(Tensor t, BytesConsumer body) throws IOException {
        if (t.numel() == 0) {
            body.accept(ByteBuffer.allocate(0));
            return;
        }
        try (Tensor c = Ops.to(t, Device.cpu())) {
            body.accept(c.memory());
        }
    }
}
