package org.cellpilot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import org.cellpilot.slide.OpenSlideReader;
import org.cellpilot.slide.SlideReader;
import org.cellpilot.slide.TiffSlideReader;
import org.cellpilot.slide.TissueMask;
import org.cellpilot.slide.UnsupportedSlideException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole-slide image, or any image, read region by region: a pyramid of levels, level 0 the full resolution.
 * TIFF, BigTIFF and SVS (JPEG tiles) are read in pure Java; NDPI, MRXS, SCN, VMS, BIF and SVS with JPEG 2000 tiles
 * through OpenSlide when it is installed; PNG, JPEG, BMP and GIF open as a one-level slide.
 *
 * <p>Coordinates follow OpenSlide: a region's top-left corner is given in level-0 pixels, its size in pixels of
 * the level read. Thread-safe: any number of threads may read regions at once. Closing frees the file handles.
 *
 * <pre>{@code
 * try (Slide slide = Slide.open(Path.of("biopsy.svs"))) {
 *     RgbImage field = slide.readRegion(0, 20_000, 14_000, 1024, 1024);
 * }
 * }</pre>
 */
public final class Slide implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Slide.class);
    /** Files only OpenSlide reads, by extension. */
    private static final Set<String> OPENSLIDE_FORMATS = Set.of("ndpi", "mrxs", "scn", "vms", "vmu", "bif", "svslide");
    private static final Set<String> TIFF_FORMATS = Set.of("tif", "tiff", "svs", "btf", "tf8", "ome.tif", "ome.tiff");
    /** The longer side of the image the tissue mask is computed from. */
    private static final int TISSUE_MASK_SIDE = 1024;
    /** A thumbnail is read in blocks this large, so a slide without a pyramid is never decoded whole. */
    private static final int THUMBNAIL_BLOCK = 1024;

    /** Which reader opens a file. */
    public enum Reader {
        /** The pure-Java TIFF reader for TIFF and SVS, OpenSlide for other slide formats, ImageIO for plain images. */
        AUTO,
        TIFF,
        OPENSLIDE
    }

    private final String name;
    private final SlideReader reader;
    private volatile TissueMask tissue;

    private Slide(String name, SlideReader reader) {
        this.name = name;
        this.reader = reader;
    }

    /** Opens a slide or image with the reader its format calls for (logged). */
    public static Slide open(Path file) throws IOException {
        return open(file, Reader.AUTO);
    }

    /**
     * Opens a slide with a chosen reader. Throws {@link IOException} naming the file when it is missing, truncated,
     * corrupt or in a format the reader cannot read; when the format needs OpenSlide and it is not installed, the
     * message names the format and the package to install.
     */
    public static Slide open(Path file, Reader choice) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such slide file: " + file);
        }
        String extension = extension(file);
        SlideReader r;
        if (choice == Reader.OPENSLIDE || (choice == Reader.AUTO && OPENSLIDE_FORMATS.contains(extension))) {
            r = OpenSlideReader.open(file, formatName(extension));
        } else if (choice == Reader.TIFF || TIFF_FORMATS.contains(extension) || isTiff(file)) {
            r = openTiff(file, choice);
        } else {
            r = new ImageSlideReader(RgbImage.read(file));
        }
        LOG.info("{}: {} reader, {}x{}, {} level(s), {}", file.getFileName(), r.name(), r.levelWidth(0), r.levelHeight(0), r.levelCount(),
                r.micronsPerPixel().isPresent() ? r.micronsPerPixel().getAsDouble() + " µm/px" : "no resolution");
        return new Slide(file.toString(), r);
    }

    /** The pure-Java reader; for a TIFF it cannot decode (JPEG 2000 tiles) OpenSlide, unless the TIFF reader was forced. */
    private static SlideReader openTiff(Path file, Reader choice) throws IOException {
        try {
            return TiffSlideReader.open(file);
        } catch (UnsupportedSlideException e) {
            if (choice == Reader.TIFF) {
                throw e;
            }
            try {
                return OpenSlideReader.open(file, "this TIFF");
            } catch (UnsupportedSlideException missing) {
                throw e;
            } catch (IOException openSlideFailed) {
                throw new IOException(e.getMessage() + "; OpenSlide could not read it either: " + openSlideFailed.getMessage(), e);
            }
        }
    }

    /** An image in memory as a one-level slide. */
    public static Slide of(RgbImage image) {
        return new Slide("image in memory", new ImageSlideReader(image));
    }

    private static String extension(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1);
    }

    private static String formatName(String extension) {
        return extension.isEmpty() ? "this format" : extension.toUpperCase(Locale.ROOT);
    }

    private static boolean isTiff(Path file) throws IOException {
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 4) < 4) {
                return false;
            }
        }
        boolean little = head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0;
        boolean bigLittle = head[0] == 'I' && head[1] == 'I' && head[2] == 43 && head[3] == 0;
        boolean big = head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43);
        return little || bigLittle || big;
    }

    /** The file, or a description for a slide made in memory. */
    public String name() {
        return name;
    }

    /** {@code tiff}, {@code openslide} or {@code image}: which reader serves this slide. */
    public String readerName() {
        return reader.name();
    }

    /**
     * Level-0 pixels up to which a pyramid is segmented whole, in memory, with every output format; a larger one
     * is streamed tile by tile (GeoJSON only).
     */
    public static final long MAX_WHOLE_PIXELS = 4096L * 4096;

    /**
     * Whether a run segments this slide whole, in memory: a plain image (PNG, JPEG…, decoded whole by any
     * reader), or a pyramid of at most {@link #MAX_WHOLE_PIXELS} level-0 pixels. The CLI and the Spark job share
     * this rule, so that both cut an input the same way and find the same cells.
     */
    public boolean segmentedWhole() {
        return reader instanceof ImageSlideReader || width() * height() <= MAX_WHOLE_PIXELS;
    }

    /** Level-0 width in pixels. */
    public long width() {
        return reader.levelWidth(0);
    }

    /** Level-0 height in pixels. */
    public long height() {
        return reader.levelHeight(0);
    }

    public int levelCount() {
        return reader.levelCount();
    }

    public long levelWidth(int level) {
        return reader.levelWidth(checkLevel(level));
    }

    public long levelHeight(int level) {
        return reader.levelHeight(checkLevel(level));
    }

    /** Level-0 pixels per pixel of {@code level}. */
    public double levelDownsample(int level) {
        return reader.downsample(checkLevel(level));
    }

    /** Microns per level-0 pixel, when the file states a plausible value (0.05–20 µm/px). */
    public OptionalDouble micronsPerPixel() {
        return reader.micronsPerPixel();
    }

    /** The most downsampled level that is still at least as sharp as {@code downsample} (as OpenSlide chooses). */
    public int bestLevel(double downsample) {
        int best = 0;
        for (int l = 1; l < levelCount(); l++) {
            if (reader.downsample(l) <= downsample * 1.001) {
                best = l;
            }
        }
        return best;
    }

    /**
     * The {@code width × height} pixels of {@code level} whose top-left corner is level-0 pixel (x, y). Throws
     * {@link IllegalArgumentException} for an empty region or one not inside the level, and
     * {@link java.io.UncheckedIOException} naming the file tile when a tile cannot be decoded.
     */
    public RgbImage readRegion(int level, long x, long y, int width, int height) {
        checkLevel(level);
        double ds = reader.downsample(level);
        long lx = (long) Math.floor(x / ds);
        long ly = (long) Math.floor(y / ds);
        if (width <= 0 || height <= 0 || x < 0 || y < 0 || lx + width > reader.levelWidth(level) || ly + height > reader.levelHeight(level)) {
            throw new IllegalArgumentException("region " + width + "x" + height + " at level-0 (" + x + ", " + y + ") is empty or not inside level "
                    + level + " (" + reader.levelWidth(level) + "x" + reader.levelHeight(level) + ") of " + name);
        }
        if ((long) width * height * 3 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("region " + width + "x" + height + " is too large for one image; read it in tiles");
        }
        return RgbImage.wrap(ByteBuffer.wrap(reader.read(level, x, y, width, height)), width, height);
    }

    /**
     * The whole slide shrunk to at most {@code maxSide} pixels on its longer side (never enlarged), averaged from
     * the smallest level that is at least that large, read block by block.
     */
    public RgbImage thumbnail(int maxSide) {
        return thumbnail(new java.awt.Rectangle(0, 0, (int) width(), (int) height()), maxSide);
    }

    /** The level-0 rectangle {@code region} shrunk the same way, for an overview of part of a slide. */
    public RgbImage thumbnail(java.awt.Rectangle region, int maxSide) {
        if (maxSide <= 0) {
            throw new IllegalArgumentException("thumbnail side must be positive, got " + maxSide);
        }
        if (region.isEmpty() || region.x < 0 || region.y < 0 || region.x + (long) region.width > width()
                || region.y + (long) region.height > height()) {
            throw new IllegalArgumentException("region " + region + " is empty or not inside " + name + " (" + width() + "x" + height() + ")");
        }
        double scale = Math.min(1, (double) maxSide / Math.max(region.width, region.height));
        int tw = (int) Math.max(1, Math.round(region.width * scale));
        int th = (int) Math.max(1, Math.round(region.height * scale));
        int level = 0;
        for (int l = 1; l < levelCount(); l++) {
            if (region.width / reader.downsample(l) >= tw && region.height / reader.downsample(l) >= th) {
                level = l;
            }
        }
        return BoxShrink.of(this, region, level, tw, th, THUMBNAIL_BLOCK);
    }

    /** The tissue mask of this slide, computed once from a thumbnail (see {@link TissueMask}). */
    public TissueMask tissueMask() {
        TissueMask t = tissue;
        if (t == null) {
            RgbImage small = thumbnail(TISSUE_MASK_SIDE);
            t = TissueMask.of(small.toBytes(), small.width(), small.height(), (double) width() / small.width());
            tissue = t;
        }
        return t;
    }

    private int checkLevel(int level) {
        if (level < 0 || level >= reader.levelCount()) {
            throw new IllegalArgumentException("level " + level + " does not exist: " + name + " has levels 0 to " + (reader.levelCount() - 1));
        }
        return level;
    }

    @Override
    public void close() {
        reader.close();
    }

    @Override
    public String toString() {
        return "Slide[" + name + ", " + width() + "x" + height() + ", " + levelCount() + " levels, " + reader.name() + "]";
    }
}
