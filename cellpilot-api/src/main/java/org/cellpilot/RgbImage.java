package org.cellpilot;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An 8-bit RGB image, the input of every CellPilot call. Gray, palette, RGB, RGBA and CMYK sources are converted
 * (alpha is dropped); anything else is refused with a message that says what it was. A direct
 * {@link ByteBuffer} of interleaved RGB is used without copying.
 */
public final class RgbImage {
    static {
        org.cellpilot.imaging.ImagePlugins.preferJdkTiff(); // TIFFs read as they would without the slide reader's plugin
    }

    private final ByteBuffer rgb;
    private final int width;
    private final int height;

    private RgbImage(ByteBuffer rgb, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty image: " + width + "x" + height);
        }
        if ((long) width * height * 3 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image of " + width + "x" + height + " is too large for one buffer; open a region");
        }
        if (rgb.remaining() != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " RGB bytes for " + width + "x" + height
                    + ", got " + rgb.remaining());
        }
        this.rgb = rgb.slice();
        this.width = width;
        this.height = height;
    }

    /** Interleaved 8-bit pixels with 1 (gray), 3 (RGB) or 4 (RGBA) channels, rows top to bottom; copied once. */
    public static RgbImage of(byte[] pixels, int width, int height, int channels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty image: " + width + "x" + height);
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IllegalArgumentException("unsupported channel count " + channels + ": expected 1 (gray), 3 (RGB) or 4 (RGBA)");
        }
        if (pixels.length != (long) width * height * channels) {
            throw new IllegalArgumentException("expected " + (long) width * height * channels + " bytes for " + width + "x" + height
                    + "x" + channels + ", got " + pixels.length);
        }
        byte[] out = channels == 3 ? pixels.clone() : new byte[width * height * 3];
        if (channels != 3) {
            for (int i = 0; i < width * height; i++) {
                for (int c = 0; c < 3; c++) {
                    out[i * 3 + c] = pixels[i * channels + (channels == 1 ? 0 : c)];
                }
            }
        }
        return new RgbImage(ByteBuffer.wrap(out), width, height);
    }

    /** Packed ARGB or RGB ints ({@code BufferedImage.getRGB} layout); alpha is ignored. */
    public static RgbImage ofArgb(int[] pixels, int width, int height) {
        if (pixels.length != (long) width * height) {
            throw new IllegalArgumentException("expected " + (long) width * height + " pixels for " + width + "x" + height + ", got "
                    + pixels.length);
        }
        byte[] out = new byte[pixels.length * 3];
        for (int i = 0; i < pixels.length; i++) {
            out[i * 3] = (byte) (pixels[i] >> 16);
            out[i * 3 + 1] = (byte) (pixels[i] >> 8);
            out[i * 3 + 2] = (byte) pixels[i];
        }
        return new RgbImage(ByteBuffer.wrap(out), width, height);
    }

    /** Interleaved RGB bytes from the buffer's position on; a direct buffer is used in place, not copied. */
    public static RgbImage wrap(ByteBuffer rgb, int width, int height) {
        return new RgbImage(rgb, width, height);
    }

    /**
     * An 8-bit (or fewer bits) grey, palette, RGB or RGBA {@link BufferedImage}, decoded from its samples: grey is
     * R = G = B = the grey level, exactly; palette entries and sRGB samples are taken as they are; other colour
     * spaces (CMYK) are converted to sRGB by colour management. Alpha is dropped.
     */
    public static RgbImage of(BufferedImage image) {
        return ImageDecoding.of(image);
    }

    /**
     * Reads a PNG, JPEG, BMP, GIF or TIFF file as {@link #of(BufferedImage)} decodes it. CMYK and YCCK JPEGs are
     * converted to sRGB with their embedded ICC profile (TwelveMonkeys' reader); so is any JPEG whose profile is not
     * sRGB, as ImageIO does. A file of several pages gives its first, and says so in the log.
     *
     * @throws IOException when the file is missing or is no readable image
     * @throws IllegalArgumentException when the image is too large for one buffer, or has more than 8 bits per channel
     */
    public static RgbImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such image file: " + file);
        }
        return ImageDecoding.read(file);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The R, G or B value (0–255) at (x, y). */
    public int get(int x, int y, int channel) {
        return rgb.get((y * width + x) * 3 + channel) & 0xff;
    }

    /** The pixels, interleaved RGB, as a read-only view (no copy). */
    public ByteBuffer pixels() {
        return rgb.asReadOnlyBuffer();
    }

    /** A copy of the pixels, interleaved RGB. */
    public byte[] toBytes() {
        byte[] out = new byte[width * height * 3];
        rgb.duplicate().get(out);
        return out;
    }

    /** The pixels of {@code region} (which must lie inside the image) as a new image. */
    public RgbImage crop(Rectangle region) {
        if (region.isEmpty() || region.x < 0 || region.y < 0 || region.x + region.width > width || region.y + region.height > height) {
            throw new IllegalArgumentException("region " + region + " is empty or not inside the " + width + "x" + height + " image");
        }
        byte[] out = new byte[region.width * region.height * 3];
        ByteBuffer src = rgb.duplicate();
        for (int y = 0; y < region.height; y++) {
            src.position(((region.y + y) * width + region.x) * 3);
            src.get(out, y * region.width * 3, region.width * 3);
        }
        return new RgbImage(ByteBuffer.wrap(out), region.width, region.height);
    }

    /** Size and SHA-256 of the pixels, keying cached and saved embeddings. */
    String fingerprint() {
        return width + "x" + height + ":" + org.cellpilot.sam.Fingerprint.of(rgb);
    }
}
