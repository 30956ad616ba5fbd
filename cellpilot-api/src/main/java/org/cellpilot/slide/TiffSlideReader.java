package org.cellpilot.slide;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import org.cellpilot.imaging.RgbDecoding;

/**
 * Tiled TIFF and BigTIFF (JPEG, JPEG with shared tables as in SVS, LZW, Deflate, uncompressed) in pure Java, on
 * TwelveMonkeys' TIFF plugin. A region decodes only the file tiles it touches; decoded tiles are kept in a small
 * {@link TileCache}. ImageIO readers are not thread-safe, so each concurrent read borrows one of a few readers,
 * each with its own file handle.
 */
public final class TiffSlideReader implements SlideReader {
    private static final long CACHE_BYTES = 64L << 20;
    /** Pages that are not tiled (SVS's thumbnail, label and macro, plain TIFFs) are decoded in bands this tall. */
    private static final int STRIP_BAND = 256;
    /** Two pages are levels of one pyramid when their width and height shrink by the same factor, within 2 %. */
    private static final double SAME_DOWNSAMPLE = 0.02;

    private final Path file;
    private final List<Level> levels;
    private final OptionalDouble mpp;
    private final TileCache cache = new TileCache(CACHE_BYTES);
    private final BlockingQueue<ImageReader> idle = new LinkedBlockingQueue<>();
    private final AtomicInteger readers = new AtomicInteger();
    private final int maxReaders = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final AtomicLong tilesDecoded = new AtomicLong();
    private volatile boolean closed;

    /**
     * One pyramid level: its TIFF page, size and decoding tile size. {@code byTile}: TwelveMonkeys 3.14.0 decodes a
     * source region of one tile only for JPEG pages; for LZW, Deflate and uncompressed pages it fails unless the
     * region spans the full width, so those are decoded a row of tiles at a time.
     */
    private record Level(int page, long width, long height, int tileWidth, int tileHeight, double downsample, boolean byTile) {
    }

    private TiffSlideReader(Path file, List<Level> levels, OptionalDouble mpp, ImageReader first) {
        this.file = file;
        this.levels = levels;
        this.mpp = mpp;
        this.readers.set(1);
        this.idle.add(first);
    }

    /**
     * Opens a TIFF, BigTIFF or SVS file. Throws {@link IOException} naming the file when it is not a TIFF, is
     * truncated, or is compressed in a way this reader cannot decode (then OpenSlide may help, and the message says so).
     */
    public static TiffSlideReader open(Path file) throws IOException {
        ImageReader reader = newReader(file);
        try {
            TiffTags first = TiffTags.of(reader, 0);
            String unsupported = TiffTags.unsupportedCompression(first.compression());
            if (unsupported != null) {
                throw new UnsupportedSlideException(file, unsupported);
            }
            List<Level> levels = levels(reader);
            OptionalDouble mpp = Resolution.fromDescription(first.description());
            if (mpp.isEmpty()) {
                mpp = Resolution.fromTiffTags(first.xResolution(), first.resolutionUnit());
            }
            return new TiffSlideReader(file, levels, mpp, reader);
        } catch (IOException | RuntimeException e) {
            dispose(reader);
            if (e instanceof UnsupportedSlideException) {
                throw (UnsupportedSlideException) e;
            }
            throw new IOException("not a readable TIFF slide: " + file + ": " + e.getMessage(), e);
        }
    }

    private static ImageReader newReader(Path file) throws IOException {
        ImageInputStream in = new FileImageInputStream(file.toFile());
        ImageReader reader = new TIFFImageReaderSpi().createReaderInstance();
        reader.setInput(in, false, true);
        return reader;
    }

    /** Page 0, then each later tiled page that shrinks both sides by one factor (skipping thumbnails, labels, macros). */
    private static List<Level> levels(ImageReader reader) throws IOException {
        List<Level> levels = new ArrayList<>();
        int pages = reader.getNumImages(true);
        long w0 = reader.getWidth(0);
        long h0 = reader.getHeight(0);
        levels.add(level(reader, 0, 1));
        for (int page = 1; page < pages; page++) {
            if (!reader.isImageTiled(page)) {
                continue;
            }
            long w = reader.getWidth(page);
            long h = reader.getHeight(page);
            double dx = (double) w0 / w;
            double dy = (double) h0 / h;
            Level last = levels.get(levels.size() - 1);
            if (w < last.width() && h < last.height() && Math.abs(dx - dy) <= SAME_DOWNSAMPLE * Math.max(dx, dy)) {
                levels.add(level(reader, page, (dx + dy) / 2));
            }
        }
        return List.copyOf(levels);
    }

    private static Level level(ImageReader reader, int page, double downsample) throws IOException {
        int w = reader.getWidth(page);
        int h = reader.getHeight(page);
        boolean tiled = reader.isImageTiled(page);
        int tw = tiled ? reader.getTileWidth(page) : w;
        int th = tiled ? reader.getTileHeight(page) : Math.min(h, STRIP_BAND);
        int compression = TiffTags.of(reader, page).compression();
        return new Level(page, w, h, tw, th, downsample, compression == TiffTags.JPEG || compression == TiffTags.OLD_JPEG);
    }

    @Override
    public String name() {
        return "tiff";
    }

    @Override
    public int levelCount() {
        return levels.size();
    }

    @Override
    public long levelWidth(int level) {
        return levels.get(level).width();
    }

    @Override
    public long levelHeight(int level) {
        return levels.get(level).height();
    }

    @Override
    public double downsample(int level) {
        return levels.get(level).downsample();
    }

    @Override
    public OptionalDouble micronsPerPixel() {
        return mpp;
    }

    /** File tiles decoded so far (cache misses), for tests that a region reads only what it touches. */
    long tilesDecoded() {
        return tilesDecoded.get();
    }

    @Override
    public byte[] read(int level, long x, long y, int width, int height) {
        Level l = levels.get(level);
        long lx = (long) Math.floor(x / l.downsample());
        long ly = (long) Math.floor(y / l.downsample());
        byte[] out = new byte[width * height * 3];
        int firstColumn = (int) (lx / l.tileWidth());
        int lastColumn = (int) ((lx + width - 1) / l.tileWidth());
        int firstRow = (int) (ly / l.tileHeight());
        int lastRow = (int) ((ly + height - 1) / l.tileHeight());
        for (int row = firstRow; row <= lastRow; row++) {
            for (int column = firstColumn; column <= lastColumn; column++) {
                Rectangle t = tileBounds(l, column, row);
                byte[] tile = tile(level, l, column, row, t);
                copy(tile, t, out, lx, ly, width, height);
            }
        }
        return out;
    }

    private static Rectangle tileBounds(Level l, int column, int row) {
        int tx = column * l.tileWidth();
        int ty = row * l.tileHeight();
        return new Rectangle(tx, ty, (int) Math.min(l.tileWidth(), l.width() - tx), (int) Math.min(l.tileHeight(), l.height() - ty));
    }

    /** Copies the part of a decoded tile that falls inside the region at (lx, ly) of its level. */
    private static void copy(byte[] tile, Rectangle t, byte[] out, long lx, long ly, int width, int height) {
        int x0 = (int) Math.max(t.x, lx);
        int x1 = (int) Math.min(t.x + t.width, lx + width);
        int y0 = (int) Math.max(t.y, ly);
        int y1 = (int) Math.min(t.y + t.height, ly + height);
        for (int y = y0; y < y1; y++) {
            System.arraycopy(tile, ((y - t.y) * t.width + (x0 - t.x)) * 3, out, (int) (((y - ly) * width + (x0 - lx)) * 3), (x1 - x0) * 3);
        }
    }

    private byte[] tile(int level, Level l, int column, int row, Rectangle bounds) {
        TileCache.Key key = new TileCache.Key(level, column, row);
        byte[] cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        ImageReader reader = borrow();
        try {
            if (l.byTile()) {
                byte[] rgb = RgbDecoding.toRgbAsStored(decode(reader, l, bounds));
                tilesDecoded.incrementAndGet();
                cache.put(key, rgb);
                return rgb;
            }
            Rectangle band = new Rectangle(0, bounds.y, (int) l.width(), bounds.height);
            byte[] rows = RgbDecoding.toRgbAsStored(decode(reader, l, band));
            byte[] wanted = null;
            for (int c = 0; c * l.tileWidth() < l.width(); c++) {
                Rectangle t = tileBounds(l, c, row);
                byte[] rgb = new byte[t.width * t.height * 3];
                copy(rows, band, rgb, t.x, t.y, t.width, t.height);
                tilesDecoded.incrementAndGet();
                cache.put(new TileCache.Key(level, c, row), rgb);
                wanted = c == column ? rgb : wanted;
            }
            return wanted;
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException(file + ": cannot decode level " + level + " tile (" + column + ", " + row
                    + ") at level pixels (" + bounds.x + ", " + bounds.y + "): " + e.getMessage(), e));
        } finally {
            release(reader);
        }
    }

    private static BufferedImage decode(ImageReader reader, Level l, Rectangle region) throws IOException {
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(region);
        BufferedImage decoded = reader.read(l.page(), param);
        if (decoded.getWidth() != region.width || decoded.getHeight() != region.height) {
            throw new IOException("decoded " + decoded.getWidth() + "x" + decoded.getHeight() + " instead of " + region.width + "x"
                    + region.height);
        }
        return decoded;
    }

    /** Returns a borrowed reader, or disposes of it when the slide was closed while it decoded. */
    private void release(ImageReader reader) {
        if (closed) {
            dispose(reader);
        } else {
            idle.add(reader);
        }
    }

    private ImageReader borrow() {
        if (closed) {
            throw new IllegalStateException("slide is closed: " + file);
        }
        ImageReader r = idle.poll();
        if (r != null) {
            return r;
        }
        if (readers.incrementAndGet() <= maxReaders) {
            try {
                return newReader(file);
            } catch (IOException e) {
                readers.decrementAndGet();
                throw new UncheckedIOException(e);
            }
        }
        readers.decrementAndGet();
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a TIFF reader", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        ImageReader r;
        while ((r = idle.poll()) != null) {
            dispose(r);
        }
    }

    private static void dispose(ImageReader reader) {
        Object in = reader.getInput();
        reader.dispose();
        if (in instanceof ImageInputStream) {
            try {
                ((ImageInputStream) in).close();
            } catch (IOException ignored) {
                // Closing a read-only file handle cannot lose data.
            }
        }
    }
}
