package org.cellpilot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cellpilot.imaging.RgbDecoding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Image files and {@link BufferedImage}s to {@link RgbImage}s, decoded exactly by {@link RgbDecoding}. */
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

    /** See {@link RgbDecoding#toRgb}. */
    static RgbImage of(BufferedImage image) {
        return RgbImage.wrap(ByteBuffer.wrap(RgbDecoding.toRgb(image)), image.getWidth(), image.getHeight());
    }
}
