package org.cellpilot.examples.server;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.cellpilot.RgbImage;

/**
 * The annotator's image pyramid: level L shows the image downsampled by 2^L (each pixel the mean of a
 * 2^L × 2^L block), cut into {@link #SIZE}-pixel tiles, so the page pans and zooms large images by fetching only
 * what is in view.
 */
final class Tiles {
    static final int SIZE = 512;

    private Tiles() {
    }

    /** Levels until the whole image fits one tile. */
    static int levels(int width, int height) {
        int levels = 1;
        for (int side = Math.max(width, height); side > SIZE; side = (side + 1) / 2) {
            levels++;
        }
        return levels;
    }

    static byte[] png(RgbImage image, int level, int col, int row) throws IOException {
        if (level < 0 || level >= levels(image.width(), image.height())) {
            throw HttpError.badRequest("level must lie in 0.." + (levels(image.width(), image.height()) - 1) + ", got " + level);
        }
        int step = 1 << level;
        int x0 = col * SIZE * step;
        int y0 = row * SIZE * step;
        if (col < 0 || row < 0 || x0 >= image.width() || y0 >= image.height()) {
            throw HttpError.badRequest("tile " + col + "," + row + " lies outside level " + level);
        }
        int w = Math.min(SIZE, (image.width() - x0 + step - 1) / step);
        int h = Math.min(SIZE, (image.height() - y0 + step - 1) / step);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int ty = 0; ty < h; ty++) {
            for (int tx = 0; tx < w; tx++) {
                out.setRGB(tx, ty, blockMean(image, x0 + tx * step, y0 + ty * step, step));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return bytes.toByteArray();
    }

    private static int blockMean(RgbImage image, int x0, int y0, int step) {
        int x1 = Math.min(image.width(), x0 + step);
        int y1 = Math.min(image.height(), y0 + step);
        int n = (x1 - x0) * (y1 - y0);
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
            long sum = 0;
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    sum += image.get(x, y, c);
                }
            }
            rgb = rgb << 8 | (int) ((sum + n / 2) / n);
        }
        return rgb;
    }
}
