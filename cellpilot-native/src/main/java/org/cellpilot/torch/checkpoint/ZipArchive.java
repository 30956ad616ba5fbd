package org.cellpilot.torch.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip file, read from its central directory (zip64 included), with each entry's data either
 * mapped in place (stored entries) or inflated into native memory. {@code java.util.zip} cannot say where an
 * entry's data starts in the file, which is what mapping needs.
 */
final class ZipArchive {
    static final int LOCAL_HEADER = 0x04034b50;
    static final int CENTRAL_HEADER = 0x02014b50;
    static final int END_OF_DIRECTORY = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    static final int LOCAL_HEADER_SIZE = 30;
    static final int CENTRAL_HEADER_SIZE = 46;
    static final int END_SIZE = 22;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    /** Deflate cannot expand data more than about 1032 times: a larger claimed size is a lie. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    record Entry(String name, int method, long compressedSize, long size, long headerOffset, int crc) {
    }

    private final FileRegions file;
    /** Entry data lies before the central directory. */
    private final long dataEnd;
    private final List<Entry> entries;
    private final Map<String, Entry> byName;

    private ZipArchive(FileRegions file, long dataEnd, List<Entry> entries) {
        this.file = file;
        this.dataEnd = dataEnd;
        this.entries = entries;
        this.byName = new HashMap<>();
        for (Entry e : entries) {
            byName.putIfAbsent(e.name, e);
        }
    }

    static boolean looksLike(byte[] head) {
        return head.length >= 4 && le(head, 0, 4) == LOCAL_HEADER;
    }

    static ZipArchive open(FileRegions file) throws IOException {
        long fileSize = file.size();
        int tailSize = (int) Math.min(fileSize, END_SIZE + 0xffff);
        byte[] tail = file.read(fileSize - tailSize, tailSize);
        int end = tail.length - END_SIZE;
        while (end >= 0 && le(tail, end, 4) != END_OF_DIRECTORY) {
            end--;
        }
        if (end < 0) {
            throw new CheckpointException("no zip end-of-central-directory record (truncated?)");
        }
        long endOffset = fileSize - tailSize + end;
        if (le(tail, end + 4, 2) != 0 || le(tail, end + 6, 2) != 0) {
            throw new CheckpointException("multi-volume zip archives are not supported");
        }
        long count = le(tail, end + 10, 2);
        long dirSize = le(tail, end + 12, 4);
        long dirOffset = le(tail, end + 16, 4);
        long dirLimit = endOffset;
        if (count == 0xffff || dirSize == 0xffffffffL || dirOffset == 0xffffffffL) {
            long[] zip64 = zip64End(file, endOffset);
            count = zip64[0];
            dirSize = zip64[1];
            dirOffset = zip64[2];
            dirLimit = zip64[3];
        }
        if (dirOffset < 0 || dirSize < 0 || dirSize > dirLimit - dirOffset || dirSize > Integer.MAX_VALUE) {
            throw new CheckpointException("zip central directory [" + dirOffset + ", +" + dirSize + ") lies outside the file");
        }
        if (count < 0 || count > dirSize / CENTRAL_HEADER_SIZE) {
            throw new CheckpointException("zip claims " + count + " entries in a " + dirSize + "-byte central directory");
        }
        byte[] dir = file.read(dirOffset, (int) dirSize);
        List<Entry> entries = new ArrayList<>((int) count);
        int p = 0;
        for (long i = 0; i < count; i++) {
            Entry e = centralEntry(dir, p, dirOffset);
            p += CENTRAL_HEADER_SIZE + (int) (le(dir, p + 28, 2) + le(dir, p + 30, 2) + le(dir, p + 32, 2));
            entries.add(e);
        }
        return new ZipArchive(file, dirOffset, entries);
    }

    /** Entry count, directory size, directory offset and the directory's upper bound from the zip64 records. */
    private static long[] zip64End(FileRegions file, long endOffset) throws IOException {
        if (endOffset < 20) {
            throw new CheckpointException("zip64 locator missing");
        }
        byte[] locator = file.read(endOffset - 20, 20);
        long recordOffset = le(locator, 8, 8);
        if (le(locator, 0, 4) != ZIP64_LOCATOR || recordOffset < 0 || recordOffset > endOffset - 20 - 56) {
            throw new CheckpointException("zip64 end-of-central-directory locator is missing or points outside the file");
        }
        byte[] record = file.read(recordOffset, 56);
        if (le(record, 0, 4) != ZIP64_END) {
            throw new CheckpointException("no zip64 end-of-central-directory record at offset " + recordOffset);
        }
        return new long[] {le(record, 32, 8), le(record, 40, 8), le(record, 48, 8), recordOffset};
    }

    private static Entry centralEntry(byte[] dir, int p, long dirOffset) {
        if (p > dir.length - CENTRAL_HEADER_SIZE || le(dir, p, 4) != CENTRAL_HEADER) {
            throw new CheckpointException("bad zip central directory entry at offset " + (dirOffset + p));
        }
        int flags = (int) le(dir, p + 8, 2);
        int method = (int) le(dir, p + 10, 2);
        int crc = (int) le(dir, p + 16, 4);
        long compressed = le(dir, p + 20, 4);
        long size = le(dir, p + 24, 4);
        int nameLength = (int) le(dir, p + 28, 2);
        int extraLength = (int) le(dir, p + 30, 2);
        int commentLength = (int) le(dir, p + 32, 2);
        long headerOffset = le(dir, p + 42, 4);
        int name = p + CENTRAL_HEADER_SIZE;
        if (nameLength + extraLength + commentLength > dir.length - name) {
            throw new CheckpointException("zip central directory entry at offset " + (dirOffset + p) + " runs past its end");
        }
        if ((flags & 1) != 0) {
            throw new CheckpointException("encrypted zip entries are not supported");
        }
        // zip64: each field that reads 0xffffffff is in the extra field 0x0001, in this order.
        long[] fields = {size, compressed, headerOffset};
        int extra = name + nameLength;
        for (int q = extra; q + 4 <= extra + extraLength;) {
            int id = (int) le(dir, q, 2);
            int length = (int) le(dir, q + 2, 2);
            int r = q + 4;
            q = r + length;
            if (id != 1 || q > extra + extraLength) {
                continue;
            }
            for (int f = 0; f < fields.length && r + 8 <= q; f++) {
                if (fields[f] == 0xffffffffL) {
                    fields[f] = le(dir, r, 8);
                    r += 8;
                }
            }
        }
        String entryName = new String(dir, name, nameLength, StandardCharsets.UTF_8);
        return new Entry(entryName, method, fields[1], fields[0], fields[2], crc);
    }

    List<Entry> entries() {
        return entries;
    }

    /** The entry named {@code name}, or null. */
    Entry entry(String name) {
        return byName.get(name);
    }

    /**
     * The entry's bytes as read-only native memory, aligned to {@code alignment}: the file mapped in place for a
     * stored entry, an inflated copy for a deflated one.
     */
    ByteBuffer data(Entry e, int alignment) throws IOException {
        long at = dataOffset(e);
        if (e.method == STORED) {
            if (e.compressedSize != e.size) {
                throw new CheckpointException("stored zip entry " + e.name + " has different sizes " + e.compressedSize + " and "
                        + e.size);
            }
            return file.map(at, e.size, alignment);
        }
        return inflate(e, at);
    }

    /** A small entry's bytes on the heap, checked against the CRC the archive records for it. */
    byte[] bytes(Entry e) throws IOException {
        ByteBuffer b = data(e, 1);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        CRC32 crc = new CRC32();
        crc.update(out);
        if ((int) crc.getValue() != e.crc) {
            throw new CheckpointException("zip entry " + e.name + " fails its CRC check (corrupt file)");
        }
        return out;
    }

    private long dataOffset(Entry e) throws IOException {
        if (e.headerOffset < 0 || e.headerOffset > dataEnd - LOCAL_HEADER_SIZE) {
            throw new CheckpointException("zip entry " + e.name + " has its header outside the file");
        }
        byte[] header = file.read(e.headerOffset, LOCAL_HEADER_SIZE);
        if (le(header, 0, 4) != LOCAL_HEADER) {
            throw new CheckpointException("zip entry " + e.name + " has no local header at offset " + e.headerOffset);
        }
        long at = e.headerOffset + LOCAL_HEADER_SIZE + le(header, 26, 2) + le(header, 28, 2);
        if (e.compressedSize < 0 || e.compressedSize > dataEnd - at) {
            throw new CheckpointException("zip entry " + e.name + " of " + e.compressedSize + " bytes at offset " + at
                    + " runs past the end of the data (truncated?)");
        }
        return at;
    }

    private ByteBuffer inflate(Entry e, long at) throws IOException {
        if (e.method != DEFLATED) {
            throw new CheckpointException("zip entry " + e.name + " uses compression method " + e.method
                    + "; only stored and deflated entries are supported");
        }
        if (e.size < 0 || e.size / MAX_DEFLATE_RATIO > e.compressedSize + 1) {
            throw new CheckpointException("zip entry " + e.name + " claims to inflate " + e.compressedSize + " bytes to "
                    + e.size);
        }
        // One byte of slack tells "exactly the declared size" from "more than declared".
        ByteBuffer out = FileRegions.allocate(e.size + 1, at);
        Inflater inflater = new Inflater(true);
        boolean finished;
        try {
            inflater.setInput(file.map(at, e.compressedSize, 1));
            while (!inflater.finished()) {
                if (inflater.inflate(out) == 0 && (inflater.needsInput() || inflater.needsDictionary() || !out.hasRemaining())) {
                    break;
                }
            }
            finished = inflater.finished();
        } catch (DataFormatException ex) {
            throw new CheckpointException("zip entry " + e.name + " is corrupt: " + ex.getMessage(), ex);
        } finally {
            inflater.end();
        }
        if (!finished || out.position() != e.size) {
            throw new CheckpointException("zip entry " + e.name + " does not inflate to its declared " + e.size + " bytes");
        }
        return out.flip();
    }

    /** An unsigned little-endian field of {@code n} bytes (8-byte fields above 2^63 come out negative). */
    static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }
}
