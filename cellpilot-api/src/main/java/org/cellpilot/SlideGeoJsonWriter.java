package org.cellpilot;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link SlideSink} that streams a QuPath-readable GeoJSON FeatureCollection to a file, one Feature per line, in
 * the format of {@link Exports#writeGeoJson}, as tiles finish: it never holds more than one tile's cells.
 *
 * <p><b>Resume.</b> After each tile's features reach the file, a line {@code tile INDEX BYTES FEATURES} is appended
 * to a journal beside it ({@code FILE.journal}). A resumed writer cuts the GeoJSON back to the last journalled
 * length (dropping a tile that was half written when the run died) and tells the run which tiles are done, so the
 * finished file lists the same cells as an uninterrupted run. {@link #finish()} closes the collection and deletes
 * the journal; a file without {@code finish} is not valid GeoJSON, and its journal says so.
 */
public final class SlideGeoJsonWriter implements SlideSink, Closeable {
    private static final byte[] HEADER = "{\"type\":\"FeatureCollection\",\"features\":[\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FOOTER = "\n]}\n".getBytes(StandardCharsets.UTF_8);

    private final Path file;
    private final Path journalFile;
    private final FileChannel out;
    private final FileChannel journal;
    private final Set<Integer> done;
    private long features;

    private SlideGeoJsonWriter(Path file, FileChannel out, FileChannel journal, Set<Integer> done, long features) {
        this.file = file;
        this.journalFile = journal(file);
        this.out = out;
        this.journal = journal;
        this.done = done;
        this.features = features;
    }

    /** Starts {@code file} afresh, replacing what is there. */
    public static SlideGeoJsonWriter create(Path file) throws IOException {
        FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        out.write(ByteBuffer.wrap(HEADER));
        FileChannel journal = FileChannel.open(journal(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new SlideGeoJsonWriter(file, out, journal, new HashSet<>(), 0);
    }

    /**
     * Continues an interrupted run's {@code file} from its journal; without a journal (nothing was interrupted) it
     * starts afresh.
     */
    public static SlideGeoJsonWriter resume(Path file) throws IOException {
        Path j = journal(file);
        if (!Files.isRegularFile(j) || !Files.isRegularFile(file)) {
            return create(file);
        }
        Set<Integer> done = new HashSet<>();
        long length = HEADER.length;
        long features = 0;
        byte[] written = Files.readAllBytes(j);
        // Only whole lines count: a line cut by the interruption has no newline yet.
        int journalLength = 0;
        for (int i = written.length - 1; i >= 0 && journalLength == 0; i--) {
            journalLength = written[i] == '\n' ? i + 1 : 0;
        }
        try {
            for (String line : new String(written, 0, journalLength, StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(" ");
                if (f.length == 4 && f[0].equals("tile")) {
                    done.add(Integer.parseInt(f[1]));
                    length = Long.parseLong(f[2]);
                    features = Long.parseLong(f[3]);
                }
            }
        } catch (NumberFormatException e) {
            throw new IOException("the journal " + j + " is damaged (" + e.getMessage() + "); delete it and run without --resume", e);
        }
        if (Files.size(file) < length) {
            throw new IOException(file + " is shorter than its journal says (" + Files.size(file) + " < " + length
                    + " bytes); delete both and run without --resume");
        }
        FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE);
        out.truncate(length);
        out.position(length);
        FileChannel journal = FileChannel.open(j, StandardOpenOption.WRITE);
        journal.truncate(journalLength);
        journal.position(journalLength);
        return new SlideGeoJsonWriter(file, out, journal, done, features);
    }

    private static Path journal(Path file) {
        return file.resolveSibling(file.getFileName() + ".journal");
    }

    @Override
    public boolean alreadyDone(SlideTile tile) {
        return done.contains(tile.index());
    }

    @Override
    public void accept(SlideTile tile, List<Mask> cells) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Mask m : cells) {
            text.append(features++ == 0 ? "" : ",\n").append(GeoJson.featureLine(m));
        }
        write(out, text.toString());
        write(journal, "tile " + tile.index() + " " + out.position() + " " + features + "\n");
    }

    @Override
    public void failed(SlideTile tile, Exception reason) throws IOException {
        write(journal, "# failed " + tile + ": " + String.valueOf(reason.getMessage()).replace('\n', ' ') + "\n");
    }

    private static void write(FileChannel channel, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Features written so far, by this run and the runs it resumed. */
    public long features() {
        return features;
    }

    /** Closes the FeatureCollection and deletes the journal: the file is complete. */
    public void finish() throws IOException {
        out.write(ByteBuffer.wrap(FOOTER));
        close();
        Files.deleteIfExists(journalFile);
    }

    /** Closes the files, leaving the journal for a resumed run when {@link #finish()} was not called. */
    @Override
    public void close() throws IOException {
        try (FileChannel a = out; FileChannel b = journal) {
            // both closed, even if one fails
        }
    }

    @Override
    public String toString() {
        return "GeoJSON " + file;
    }
}
