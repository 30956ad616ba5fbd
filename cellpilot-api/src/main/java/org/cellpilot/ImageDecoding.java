package org.cellpilot;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image files and {@link BufferedImage}s to 8-bit RGB, from the raster samples rather than through
 * {@code BufferedImage.getRGB}, which treats the JDK's grey colour space as linear light and so brightens every grey
 * level (50 becomes 122).
 */
final class ImageDecoding {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoding.class);

    private ImageDecoding() {}

    /**
     * The first image of a file. A file of several pages (a TIFF, an animated GIF) gives its first page, and the log
     * says so; for a pyramid, whose later pages are reductions of the first, that is the full resolution. The size is
     * checked from the header, before any pixel is decoded.
     */
    static RgbImage read(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("not a readable image (PNG, JPEG, BMP, GIF or TIFF): " + file);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height * 3 > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(file + " is " + width + "x" + height + ", too large for one buffer; open a region");
                }
                logPages(file, reader, width, height);
                return of(reader.read(0));
            } finally {
                reader.dispose();
            }
        }
    }

    private static void logPages(Path file, ImageReader reader, int width, int height) throws IOException {
        int pages = reader.getNumImages(true);
        if (pages <= 1) {
            return;
        }
        boolean pyramid = true;
        for (int i = 1; i < pages && pyramid; i++) {
            pyramid = reader.getWidth(i) < width && reader.getHeight(i) < height;
        }
        if (pyramid) {
            LOG.info("{}: a pyramid of {} pages; reading page 1 of {}, the full resolution ({}x{})", file, pages, pages, width, height);
        } else {
            LOG.warn("{}: {} pages; reading page 1 of {} ({}x{}) only", file, pages, pages, width, height);
        }
    }

    /**
     * Grey becomes R = G = B = the sample; palette images take their palette's colours; sRGB images their samples;
     * 1- to 7-bit samples are scaled to 0–255. Other colour spaces (CMYK, say) are converted to sRGB by the JDK's
     * colour management. Alpha is dropped, never blended.
     */
    static RgbImage of(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty image: " + width + "x" + height);
        }
        ColorModel cm = image.getColorModel();
        int bits = 0;
        for (int size : cm.getComponentSize()) {
            bits = Math.max(bits, size);
        }
        if (bits > 8) {
            throw new IllegalArgumentException("unsupported image: " + bits + " bits per channel; CellPilot takes 8-bit gray, RGB or RGBA");
        }
        Raster raster = image.getRaster();
        byte[] rgb = new byte[width * height * 3];
        ColorSpace space = cm.getColorSpace();
        if (cm instanceof IndexColorModel palette) {
            int[] index = raster.getSamples(0, 0, width, height, 0, (int[]) null);
            for (int i = 0; i < index.length; i++) {
                rgb[3 * i] = (byte) palette.getRed(index[i]);
                rgb[3 * i + 1] = (byte) palette.getGreen(index[i]);
                rgb[3 * i + 2] = (byte) palette.getBlue(index[i]);
            }
        } else if (space.getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
            for (int c = 0; c < 3; c++) {
                copyBand(raster, 0, cm.getComponentSize(0), rgb, c);
            }
        } else if (space.isCS_sRGB() && cm.getNumColorComponents() == 3 && !cm.isAlphaPremultiplied()) {
            for (int c = 0; c < 3; c++) {
                copyBand(raster, c, cm.getComponentSize(c), rgb, c);
            }
        } else {
            BufferedImage srgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            new ColorConvertOp(null).filter(image, srgb);
            int[] argb = srgb.getRGB(0, 0, width, height, null, 0, width);
            for (int i = 0; i < argb.length; i++) {
                rgb[3 * i] = (byte) (argb[i] >> 16);
                rgb[3 * i + 1] = (byte) (argb[i] >> 8);
                rgb[3 * i + 2] = (byte) argb[i];
            }
        }
        return RgbImage.wrap(ByteBuffer.wrap(rgb), width, height);
    }

    /** Band {@code band} of the raster, {@code bits} wide, into channel {@code channel} of interleaved RGB. */
    private static void copyBand(Raster raster, int band, int bits, byte[] rgb, int channel) {
        int[] samples = raster.getSamples(0, 0, raster.getWidth(), raster.getHeight(), band, (int[]) null);
        int max = (1 << bits) - 1;
        for (int i = 0; i < samples.length; i++) {
            int v = bits == 8 ? samples[i] : (samples[i] * 255 + max / 2) / max;
            rgb[3 * i + channel] = (byte) v;
        }
    }
}
