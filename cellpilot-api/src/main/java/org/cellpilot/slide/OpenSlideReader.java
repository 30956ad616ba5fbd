package org.cellpilot.slide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.OptionalDouble;

/** Slides in OpenSlide's formats (NDPI, MRXS, SCN, VMS, BIF, SVS with JPEG 2000 tiles), through libopenslide. */
public final class OpenSlideReader implements SlideReader {
    private static final String MPP_X = "openslide.mpp-x";

    private final OpenSlideLibrary lib;
    private final Path file;
    private final long handle;
    private final long[][] sizes;
    private final double[] downsamples;
    private final OptionalDouble mpp;
    private volatile boolean closed;

    private OpenSlideReader(OpenSlideLibrary lib, Path file, long handle) {
        this.lib = lib;
        this.file = file;
        this.handle = handle;
        int n = lib.levelCount(handle);
        this.sizes = new long[n][];
        this.downsamples = new double[n];
        for (int l = 0; l < n; l++) {
            sizes[l] = lib.levelDimensions(handle, l);
            downsamples[l] = lib.levelDownsample(handle, l);
        }
        this.mpp = micronsPerPixel(lib, handle);
    }

    /** OpenSlide's own {@code openslide.mpp-x}, or else (OpenSlide 3.4 on generic TIFF) the TIFF resolution tags it lists. */
    private static OptionalDouble micronsPerPixel(OpenSlideLibrary lib, long handle) {
        String m = lib.property(handle, MPP_X);
        if (m != null) {
            return Resolution.plausible(Resolution.parse(m));
        }
        String resolution = lib.property(handle, "tiff.XResolution");
        String unit = lib.property(handle, "tiff.ResolutionUnit");
        if (resolution == null || unit == null) {
            return OptionalDouble.empty();
        }
        int code = unit.equals("centimeter") ? Resolution.UNIT_CENTIMETER : unit.equals("inch") ? Resolution.UNIT_INCH : 0;
        return Resolution.fromTiffTags(Resolution.parse(resolution), code);
    }

    /**
     * Opens {@code file} with OpenSlide. When libopenslide is not installed, the error names {@code format} and the
     * package to install; when OpenSlide does not recognise the file or fails to read it, the error says so.
     */
    public static OpenSlideReader open(Path file, String format) throws IOException {
        OpenSlideLibrary lib = OpenSlideBinding.load().orElseThrow(() -> new UnsupportedSlideException(file, format + " ("
                + OpenSlideBinding.whyMissing() + ")"));
        long h = lib.open(file.toAbsolutePath().toString());
        if (h == 0) {
            throw new IOException("OpenSlide does not recognise " + file + " as a slide");
        }
        String error = lib.error(h);
        if (error != null) {
            lib.close(h);
            throw new IOException("OpenSlide cannot read " + file + ": " + error);
        }
        return new OpenSlideReader(lib, file, h);
    }

    @Override
    public String name() {
        return "openslide";
    }

    @Override
    public int levelCount() {
        return sizes.length;
    }

    @Override
    public long levelWidth(int level) {
        return sizes[level][0];
    }

    @Override
    public long levelHeight(int level) {
        return sizes[level][1];
    }

    @Override
    public double downsample(int level) {
        return downsamples[level];
    }

    @Override
    public OptionalDouble micronsPerPixel() {
        return mpp;
    }

    /** Premultiplied ARGB composited onto white, where OpenSlide's transparent (no data) pixels become glass. */
    @Override
    public byte[] read(int level, long x, long y, int width, int height) {
        if (closed) {
            throw new IllegalStateException("slide is closed: " + file);
        }
        int[] argb = new int[width * height];
        lib.readRegion(handle, argb, x, y, level, width, height);
        String error = lib.error(handle);
        if (error != null) {
            throw new UncheckedIOException(new IOException(file + ": OpenSlide cannot read level " + level + " at (" + x + ", " + y + "): " + error));
        }
        byte[] out = new byte[argb.length * 3];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int glass = 255 - (p >>> 24);
            out[i * 3] = (byte) (((p >> 16) & 0xff) + glass);
            out[i * 3 + 1] = (byte) (((p >> 8) & 0xff) + glass);
            out[i * 3 + 2] = (byte) ((p & 0xff) + glass);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            lib.close(handle);
        }
    }
}
