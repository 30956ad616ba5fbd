package org.cellpilot.slide;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/** libopenslide through JNA, for Java 17 and 21 hosts (Java 22+ uses the FFM binding). */
final class JnaOpenSlide implements OpenSlideLibrary {
    private static final String[] NAMES = {"libopenslide.so.1", "libopenslide.so.0"};

    private final Function open;
    private final Function getError;
    private final Function levelCount;
    private final Function levelDimensions;
    private final Function levelDownsample;
    private final Function readRegion;
    private final Function property;
    private final Function close;

    private JnaOpenSlide(NativeLibrary lib) {
        open = lib.getFunction("openslide_open");
        getError = lib.getFunction("openslide_get_error");
        levelCount = lib.getFunction("openslide_get_level_count");
        levelDimensions = lib.getFunction("openslide_get_level_dimensions");
        levelDownsample = lib.getFunction("openslide_get_level_downsample");
        readRegion = lib.getFunction("openslide_read_region");
        property = lib.getFunction("openslide_get_property_value");
        close = lib.getFunction("openslide_close");
    }

    /** Binds the first of libopenslide.so.1 and .so.0 that loads; throws {@link UnsatisfiedLinkError} when neither does. */
    static JnaOpenSlide load() {
        UnsatisfiedLinkError last = null;
        for (String name : NAMES) {
            try {
                return new JnaOpenSlide(NativeLibrary.getInstance(name));
            } catch (UnsatisfiedLinkError e) {
                last = e;
            }
        }
        throw new UnsatisfiedLinkError("neither " + String.join(" nor ", NAMES) + " could be loaded: " + (last == null ? "" : last.getMessage()));
    }

    @Override
    public long open(String file) {
        return Pointer.nativeValue((Pointer) open.invoke(Pointer.class, new Object[] {file}));
    }

    @Override
    public String error(long slide) {
        Pointer p = (Pointer) getError.invoke(Pointer.class, new Object[] {new Pointer(slide)});
        return p == null ? null : p.getString(0, "UTF-8");
    }

    @Override
    public int levelCount(long slide) {
        return levelCount.invokeInt(new Object[] {new Pointer(slide)});
    }

    @Override
    public long[] levelDimensions(long slide, int level) {
        long[] w = new long[1];
        long[] h = new long[1];
        levelDimensions.invokeVoid(new Object[] {new Pointer(slide), level, w, h});
        return new long[] {w[0], h[0]};
    }

    @Override
    public double levelDownsample(long slide, int level) {
        return levelDownsample.invokeDouble(new Object[] {new Pointer(slide), level});
    }

    @Override
    public void readRegion(long slide, int[] argb, long x, long y, int level, int width, int height) {
        readRegion.invokeVoid(new Object[] {new Pointer(slide), argb, x, y, level, (long) width, (long) height});
    }

    @Override
    public String property(long slide, String name) {
        Pointer p = (Pointer) property.invoke(Pointer.class, new Object[] {new Pointer(slide), name});
        return p == null ? null : p.getString(0, "UTF-8");
    }

    @Override
    public void close(long slide) {
        close.invokeVoid(new Object[] {new Pointer(slide)});
    }
}
