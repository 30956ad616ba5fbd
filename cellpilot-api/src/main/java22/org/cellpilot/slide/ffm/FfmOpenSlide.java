package org.cellpilot.slide.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import org.cellpilot.slide.OpenSlideLibrary;

/** libopenslide through the FFM API (Java 22+): ten C functions, each one downcall handle. */
public final class FfmOpenSlide implements OpenSlideLibrary {
    private static final String[] NAMES = {"libopenslide.so.1", "libopenslide.so.0"};

    private final MethodHandle open;
    private final MethodHandle getError;
    private final MethodHandle levelCount;
    private final MethodHandle levelDimensions;
    private final MethodHandle levelDownsample;
    private final MethodHandle readRegion;
    private final MethodHandle property;
    private final MethodHandle close;

    private FfmOpenSlide(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        open = linker.downcallHandle(find(lib, "openslide_open"), FunctionDescriptor.of(ADDRESS, ADDRESS));
        getError = linker.downcallHandle(find(lib, "openslide_get_error"), FunctionDescriptor.of(ADDRESS, ADDRESS));
        levelCount = linker.downcallHandle(find(lib, "openslide_get_level_count"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        levelDimensions = linker.downcallHandle(find(lib, "openslide_get_level_dimensions"),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        levelDownsample = linker.downcallHandle(find(lib, "openslide_get_level_downsample"), FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS, JAVA_INT));
        readRegion = linker.downcallHandle(find(lib, "openslide_read_region"),
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
        property = linker.downcallHandle(find(lib, "openslide_get_property_value"), FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        close = linker.downcallHandle(find(lib, "openslide_close"), FunctionDescriptor.ofVoid(ADDRESS));
    }

    /** Binds the first of libopenslide.so.1 and .so.0 that the dynamic linker finds; throws when neither is there. */
    public static FfmOpenSlide load() {
        IllegalArgumentException last = null;
        for (String name : NAMES) {
            try {
                return new FfmOpenSlide(SymbolLookup.libraryLookup(name, Arena.global()));
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        throw new UnsatisfiedLinkError("neither " + String.join(" nor ", NAMES) + " could be loaded" + (last == null ? "" : ": " + last.getMessage()));
    }

    private static MemorySegment find(SymbolLookup lib, String symbol) {
        return lib.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("libopenslide has no " + symbol));
    }

    @Override
    public long open(String file) {
        try (Arena arena = Arena.ofConfined()) {
            return ((MemorySegment) open.invokeExact(arena.allocateFrom(file))).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public String error(long slide) {
        try {
            return string((MemorySegment) getError.invokeExact(MemorySegment.ofAddress(slide)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int levelCount(long slide) {
        try {
            return (int) levelCount.invokeExact(MemorySegment.ofAddress(slide));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long[] levelDimensions(long slide, int level) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = arena.allocate(JAVA_LONG);
            MemorySegment h = arena.allocate(JAVA_LONG);
            levelDimensions.invokeExact(MemorySegment.ofAddress(slide), level, w, h);
            return new long[] {w.get(JAVA_LONG, 0), h.get(JAVA_LONG, 0)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public double levelDownsample(long slide, int level) {
        try {
            return (double) levelDownsample.invokeExact(MemorySegment.ofAddress(slide), level);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void readRegion(long slide, int[] argb, long x, long y, int level, int width, int height) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dest = arena.allocate(JAVA_INT, (long) width * height);
            readRegion.invokeExact(MemorySegment.ofAddress(slide), dest, x, y, level, (long) width, (long) height);
            MemorySegment.copy(dest, JAVA_INT, 0, argb, 0, width * height);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public String property(long slide, String name) {
        try (Arena arena = Arena.ofConfined()) {
            return string((MemorySegment) property.invokeExact(MemorySegment.ofAddress(slide), arena.allocateFrom(name)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void close(long slide) {
        try {
            close.invokeExact(MemorySegment.ofAddress(slide));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static String string(MemorySegment cString) {
        return cString.address() == 0 ? null : cString.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("OpenSlide call failed", t);
    }
}
