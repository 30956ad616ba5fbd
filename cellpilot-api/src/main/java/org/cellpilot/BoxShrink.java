package org.cellpilot;

/** A slide level shrunk by averaging each output pixel's source pixels (a box filter), read block by block. */
final class BoxShrink {
    private BoxShrink() {}

    static RgbImage of(Slide slide, int level, int outWidth, int outHeight, int block) {
        long lw = slide.levelWidth(level);
        long lh = slide.levelHeight(level);
        double ds = slide.levelDownsample(level);
        long[] sums = new long[outWidth * outHeight * 3];
        int[] counts = new int[outWidth * outHeight];
        for (long by = 0; by < lh; by += block) {
            int h = (int) Math.min(block, lh - by);
            for (long bx = 0; bx < lw; bx += block) {
                int w = (int) Math.min(block, lw - bx);
                byte[] px = slide.readRegion(level, (long) Math.ceil(bx * ds), (long) Math.ceil(by * ds), w, h).toBytes();
                for (int y = 0; y < h; y++) {
                    int oy = (int) ((by + y) * outHeight / lh);
                    for (int x = 0; x < w; x++) {
                        int o = oy * outWidth + (int) ((bx + x) * outWidth / lw);
                        counts[o]++;
                        for (int c = 0; c < 3; c++) {
                            sums[o * 3 + c] += px[(y * w + x) * 3 + c] & 0xff;
                        }
                    }
                }
            }
        }
        byte[] out = new byte[sums.length];
        for (int i = 0; i < counts.length; i++) {
            for (int c = 0; c < 3; c++) {
                out[i * 3 + c] = (byte) ((sums[i * 3 + c] + counts[i] / 2) / Math.max(1, counts[i]));
            }
        }
        return RgbImage.of(out, outWidth, outHeight, 3);
    }
}
