package org.cellpilot.slide;

/**
 * The part of libopenslide's C API that CellPilot calls, over plain Java types, so that the reader does not care
 * which binding (FFM on Java 22+, JNA on 17 and 21) carries the calls. Handles are {@code openslide_t*} as longs;
 * 0 means none. Implementations are thread-safe, as OpenSlide is for reads.
 */
public interface OpenSlideLibrary {
    /** {@code openslide_open}: a handle, or 0 when OpenSlide does not recognise the file. */
    long open(String file);

    /** {@code openslide_get_error}: the handle's error, or null when it has none. */
    String error(long slide);

    int levelCount(long slide);

    /** {@code openslide_get_level_dimensions}: {width, height}. */
    long[] levelDimensions(long slide, int level);

    double levelDownsample(long slide, int level);

    /** {@code openslide_read_region} into {@code argb} (premultiplied ARGB, w × h); x and y in level-0 pixels. */
    void readRegion(long slide, int[] argb, long x, long y, int level, int width, int height);

    /** {@code openslide_get_property_value}, or null. */
    String property(long slide, String name);

    void close(long slide);
}
