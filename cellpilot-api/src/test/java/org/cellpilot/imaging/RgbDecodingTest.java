package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

/**
 * The two ways of treating an RGB image that carries a colour space other than sRGB: image files are converted by
 * colour management, slide tiles keep their samples (as OpenSlide gives them). (Grey, palette, RGB and CMYK files
 * are tested through RgbImage in ImageDecodingTest, slide tiles in the slide reader tests.)
 */
class RgbDecodingTest {
    /** One pixel of samples (50, 100, 200) in linear-light RGB, the JDK's one built-in RGB space other than sRGB. */
    private static BufferedImage linearRgb() {
        ColorSpace linear = ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB);
        ComponentColorModel cm = new ComponentColorModel(linear, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[] {50, 100, 200});
        return new BufferedImage(cm, raster, false, null);
    }

    @Test
    void slideTilesKeepTheirSamples() {
        assertArrayEquals(new byte[] {50, 100, (byte) 200}, RgbDecoding.toRgbAsStored(linearRgb()));
    }

    /** sRGB's transfer function (IEC 61966-2-1) of a linear value: 50 → 122.4, 100 → 168.1, 200 → 229.1. */
    @Test
    void imagesAreConvertedToSrgb() {
        byte[] rgb = RgbDecoding.toRgb(linearRgb());
        int[] linear = {50, 100, 200};
        for (int c = 0; c < 3; c++) {
            double v = linear[c] / 255.0;
            double srgb = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
            // The JDK's colour management works in 8 and 16 bits: within 2 levels.
            assertEquals(srgb * 255, rgb[c] & 0xff, 2.0, "channel " + c);
        }
    }

    @Test
    void sixteenBitImagesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RgbDecoding.toRgbAsStored(new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY)));
        assertEquals("unsupported image: 16 bits per channel; CellPilot takes 8-bit gray, RGB or RGBA", e.getMessage());
    }
}
