package org.cellpilot.slide;

import java.io.Closeable;
import java.util.OptionalDouble;

/**
 * One way of reading a slide file (pure-Java TIFF, OpenSlide, a plain image). Implementations are thread-safe:
 * a slide run reads tiles on one thread while an interactive viewer reads on another.
 */
public interface SlideReader extends Closeable {
    /** A short name for logs and errors: {@code tiff}, {@code openslide} or {@code image}. */
    String name();

    int levelCount();

    long levelWidth(int level);

    long levelHeight(int level);

    /** How many level-0 pixels one pixel of {@code level} spans (1 for level 0). */
    double downsample(int level);

    /** Microns per level-0 pixel, when the file states a plausible value. */
    OptionalDouble micronsPerPixel();

    /**
     * Interleaved RGB bytes of the {@code width × height} pixels of {@code level} whose top-left corner is the
     * level-0 pixel (x, y), as OpenSlide addresses regions. The caller has checked that the region lies inside the
     * level.
     */
    byte[] read(int level, long x, long y, int width, int height);

    @Override
    void close();
}
