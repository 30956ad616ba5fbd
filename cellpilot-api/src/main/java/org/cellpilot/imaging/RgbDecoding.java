package org.cellpilot.imaging;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Decoded images to interleaved 8-bit RGB, from the raster samples rather than through
 * {@code BufferedImage.getRGB}, which treats the JDK's grey colour space as linear light and so brightens every grey
 * level (50 becomes 122). One home for image files ({@code RgbImage}) and slide tiles alike.
 */
public final class RgbDecoding {
    private RgbDecoding() {}

    /**
     * Grey becomes R = G = B = the sample; palette images take their palette's colours; sRGB images their samples;
     * 1- to 7-bit samples are scaled to 0–255. Other colour spaces (CMYK, an RGB ICC profile) are converted to sRGB
     * by the JDK's colour management. Alpha is dropped, never blended.
     *
     * @throws IllegalArgumentException for an empty image or one of more than 8 bits per channel
     */
    public static byte[] toRgb(BufferedImage image) {
        return decode(image, false);
    }

    /**
     * As {@link #toRgb}, except that RGB samples are taken as stored whatever RGB profile the file carries: slide
     * tiles, which OpenSlide and QuPath read that way too, so both slide readers give the same pixels.
     */
    public static byte[] toRgbAsStored(BufferedImage image) {
        return decode(image, true);
    }

    private static byte[] decode(BufferedImage image, boolean anyRgbAsStored) {
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
        boolean rgbSamples = anyRgbAsStored ? space.getType() == ColorSpace.TYPE_RGB : space.isCS_sRGB();
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
        } else if (rgbSamples && cm.getNumColorComponents() == 3 && !cm.isAlphaPremultiplied()) {
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
        return rgb;
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
