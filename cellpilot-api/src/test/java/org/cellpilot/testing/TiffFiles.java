package org.cellpilot.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Damages a classic (not Big) little-endian TIFF on purpose, found by walking its IFDs as TIFF 6.0 lays them out. */
public final class TiffFiles {
    private static final int TILE_OFFSETS = 324;

    private TiffFiles() {}

    /** Overwrites the first 256 bytes of tile {@code tile} of page {@code page} with zeros. */
    public static void corruptTile(Path tiff, int page, int tile) throws IOException {
        byte[] bytes = Files.readAllBytes(tiff);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getShort(0) != 0x4949 || b.getShort(2) != 42) {
            throw new IllegalArgumentException(tiff + " is not a classic little-endian TIFF");
        }
        int ifd = b.getInt(4);
        for (int p = 0; p < page; p++) {
            ifd = b.getInt(ifd + 2 + 12 * (b.getShort(ifd) & 0xffff));
        }
        int entries = b.getShort(ifd) & 0xffff;
        for (int e = 0; e < entries; e++) {
            int at = ifd + 2 + 12 * e;
            if ((b.getShort(at) & 0xffff) == TILE_OFFSETS) {
                int count = b.getInt(at + 4);
                int offset = count == 1 ? b.getInt(at + 8) : b.getInt(b.getInt(at + 8) + 4 * tile);
                java.util.Arrays.fill(bytes, offset, offset + 256, (byte) 0);
                Files.write(tiff, bytes);
                return;
            }
        }
        throw new IllegalArgumentException(tiff + " page " + page + " is not tiled");
    }
}
