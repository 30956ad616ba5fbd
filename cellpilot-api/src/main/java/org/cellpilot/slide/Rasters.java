package org.cellpilot.slide;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;

/** Decoded tiles as interleaved RGB bytes, read from the raster's samples so grey and RGB values pass unchanged. */
final class Rasters {
    private Rasters() {}

    static byte[] toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        boolean samples = image.getColorModel() instanceof ComponentColorModel
                && raster.getDataBuffer().getDataType() == DataBuffer.TYPE_BYTE && (bands == 1 || bands == 2 || bands >= 3);
        if (samples) {
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        // Grey (and grey + alpha) has one colour sample: R = G = B.
                        out[(y * w + x) * 3 + c] = (byte) row[x * bands + (bands < 3 ? 0 : c)];
                    }
                }
            }
            return out;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            out[i * 3] = (byte) (argb[i] >> 16);
            out[i * 3 + 1] = (byte) (argb[i] >> 8);
            out[i * 3 + 2] = (byte) argb[i];
        }
        return out;
    }
}
