package org.cellpilot.eval;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * An instance label map: 0 is background, every other value one instance (values need not be contiguous).
 * Row-major, {@code width × height}.
 */
public final class LabelMap {
    static {
        org.cellpilot.imaging.ImagePlugins.preferJdkTiff(); // TIFFs read as they would without the slide reader's plugin
    }

    private final int width;
    private final int height;
    private final int[] labels;

    public LabelMap(int width, int height, int[] labels) {
        if (width < 1 || height < 1 || labels.length != width * height) {
            throw new IllegalArgumentException("a " + width + " x " + height + " label map needs " + (long) width * height
                    + " values, got " + labels.length);
        }
        this.width = width;
        this.height = height;
        this.labels = labels;
    }

    /**
     * Reads an 8-, 16- or 32-bit single-channel integer image (PNG or TIFF). Colour images and floating-point
     * images with fractional or negative values are refused with a message naming the file.
     */
    public static LabelMap read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such label image: " + file);
        }
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IllegalArgumentException("not a readable label image (PNG or TIFF): " + file);
        }
        Raster raster = image.getRaster();
        if (raster.getNumBands() != 1 || image.getColorModel().hasAlpha()) {
            throw new IllegalArgumentException("label image " + file + " has " + raster.getNumBands()
                    + " channels; instance labels are one integer channel (8, 16 or 32 bit)");
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] labels = new int[w * h];
        int type = raster.getDataBuffer().getDataType();
        if (type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE) {
            double[] values = raster.getPixels(0, 0, w, h, (double[]) null);
            for (int i = 0; i < values.length; i++) {
                double v = values[i];
                if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("label image " + file + " is not an integer label map: pixel ("
                            + i % w + ", " + i / w + ") is " + v);
                }
                labels[i] = (int) v;
            }
        } else {
            raster.getPixels(0, 0, w, h, labels);
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0) {
                    throw new IllegalArgumentException("label image " + file + " has a negative label at (" + i % w + ", " + i / w + ")");
                }
            }
        }
        return new LabelMap(w, h, labels);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The label values, row-major; a copy. */
    public int[] labels() {
        return labels.clone();
    }

    /** The instance ids present, ascending (0 excluded). */
    public int[] ids() {
        TreeSet<Integer> ids = new TreeSet<>();
        for (int l : labels) {
            if (l != 0) {
                ids.add(l);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Each instance's tight box {x0, y0, x1, y1} (inclusive pixel indices), by id ascending; one pass. */
    public SortedMap<Integer, int[]> boxes() {
        SortedMap<Integer, int[]> boxes = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0) {
                int x = i % width;
                int y = i / width;
                int[] b = boxes.computeIfAbsent(labels[i], id -> new int[] {x, y, x, y});
                b[0] = Math.min(b[0], x);
                b[1] = Math.min(b[1], y);
                b[2] = Math.max(b[2], x);
                b[3] = Math.max(b[3], y);
            }
        }
        return boxes;
    }

    /** The pixels of instance {@code id}. */
    public boolean[] mask(int id) {
        boolean[] out = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i] == id;
        }
        return out;
    }

    @Override
    public String toString() {
        return "LabelMap[" + width + " x " + height + ", " + ids().length + " instances]";
    }
}
