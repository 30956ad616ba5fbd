package org.cellpilot.torch.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Writes a zip of stored entries whose data starts at 64-byte-aligned file offsets, as torch.save does (the
 * padding goes into an extra field), so that every entry can be mapped in place. No zip64: at most 4 GB.
 */
final class ZipWriter {
    private static final int ALIGNMENT = 64;
    /** The extra-field id torch uses for its padding ("FB"). */
    private static final int PADDING_ID = 0x4246;
    private static final long LIMIT = 0xffffffffL;

    /** 1980-01-01 00:00 in DOS time and date, so that the same tensors always give the same bytes. */
    private static final int DOS_EPOCH = 0x21 << 16;

    private final FileChannel channel;
    private ByteBuffer central = ByteBuffer.allocate(1 << 12).order(ByteOrder.LITTLE_ENDIAN);
    private int count;

    ZipWriter(FileChannel channel) {
        this.channel = channel;
    }

    void add(String name, ByteBuffer data) throws IOException {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(data.duplicate());
        long size = data.remaining();
        long offset = channel.position();
        int padding = Math.floorMod(-(offset + ZipArchive.LOCAL_HEADER_SIZE + utf8.length), ALIGNMENT);
        if (padding > 0 && padding < 4) {
            padding += ALIGNMENT; // an extra field needs 4 bytes for its id and length
        }
        if (offset + ZipArchive.LOCAL_HEADER_SIZE + utf8.length + padding + size > LIMIT || count == 0xffff) {
            throw new IllegalArgumentException("the archive would pass 4 GB or 65535 entries, which needs zip64");
        }
        ByteBuffer header = ByteBuffer.allocate(ZipArchive.LOCAL_HEADER_SIZE + utf8.length + padding)
                .order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(ZipArchive.LOCAL_HEADER).putShort((short) 20).putShort((short) 0).putShort((short) 0);
        header.putInt(DOS_EPOCH);
        header.putInt((int) crc.getValue()).putInt((int) size).putInt((int) size);
        header.putShort((short) utf8.length).putShort((short) padding).put(utf8);
        if (padding > 0) {
            header.putShort((short) PADDING_ID).putShort((short) (padding - 4));
        }
        OutputFile.writeFully(channel, header.clear());
        OutputFile.writeFully(channel, data.duplicate());

        central = room(central, ZipArchive.CENTRAL_HEADER_SIZE + utf8.length);
        central.putInt(ZipArchive.CENTRAL_HEADER).putShort((short) 20).putShort((short) 20).putShort((short) 0)
                .putShort((short) 0).putInt(DOS_EPOCH).putInt((int) crc.getValue()).putInt((int) size)
                .putInt((int) size).putShort((short) utf8.length).putLong(0).putInt(0).putInt((int) offset).put(utf8);
        count++;
    }

    void finish() throws IOException {
        long offset = channel.position();
        int size = central.position();
        if (offset + size > LIMIT) {
            throw new IllegalArgumentException("the archive would pass 4 GB, which needs zip64");
        }
        OutputFile.writeFully(channel, central.flip());
        ByteBuffer end = ByteBuffer.allocate(ZipArchive.END_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(ZipArchive.END_OF_DIRECTORY).putInt(0).putShort((short) count).putShort((short) count).putInt(size)
                .putInt((int) offset).putShort((short) 0);
        OutputFile.writeFully(channel, end.clear());
    }

    private static ByteBuffer room(ByteBuffer b, int more) {
        if (b.remaining() >= more) {
            return b;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + more)).order(ByteOrder.LITTLE_ENDIAN);
        return bigger.put(b.flip());
    }
}
