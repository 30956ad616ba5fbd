package org.cellpilot.examples.server;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cellpilot.RgbImage;

/** Images that clients send: base64 text and encoded bytes, with the size checked before the pixels are decoded. */
final class Images {
    private Images() {
    }

    static byte[] base64(String field, String text) {
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(field + " is not valid base64: " + e.getMessage());
        }
    }

    /**
     * Decodes PNG, JPEG, TIFF, BMP or GIF bytes to RGB (grey and RGBA are converted). More than {@code maxPixels}
     * pixels is a 413, refused from the header before the pixels are decoded.
     */
    static RgbImage decode(String field, byte[] bytes, long maxPixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw HttpError.badRequest(field + " is not an image the server can read (PNG, JPEG, TIFF, BMP or GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new HttpError(413, field + " is " + reader.getWidth(0) + "x" + reader.getHeight(0) + ", more than the server's limit of "
                            + maxPixels + " pixels (serve --max-pixels)");
                }
                BufferedImage image = reader.read(0);
                return RgbImage.of(image);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof HttpError) {
                throw (HttpError) e;
            }
            throw HttpError.badRequest(field + " does not decode as an image: " + e.getMessage());
        }
    }
}
