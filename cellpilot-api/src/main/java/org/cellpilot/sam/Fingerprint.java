package org.cellpilot.sam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Cheap identities for files and pixels, used to key cached and saved embeddings. */
public final class Fingerprint {
    private static final int SAMPLE = 1 << 20;

    private Fingerprint() {
    }

    /**
     * SHA-256 of a file's size and its first and last megabyte. Hashing all of a 375 MB checkpoint would cost
     * a second at every load; two checkpoints that differ only in their middle are not a realistic case.
     */
    public static String ofFile(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MessageDigest sha = sha256();
            long size = ch.size();
            sha.update(ByteBuffer.allocate(8).putLong(size).flip());
            update(sha, ch, 0, Math.min(SAMPLE, size));
            update(sha, ch, Math.max(0, size - SAMPLE), Math.min(SAMPLE, size));
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** SHA-256 of bytes, e.g. an image's size and pixels. */
    public static String of(ByteBuffer data) {
        MessageDigest sha = sha256();
        sha.update(data.duplicate());
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, FileChannel ch, long position, long length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                break;
            }
        }
        sha.update(buf.flip());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
