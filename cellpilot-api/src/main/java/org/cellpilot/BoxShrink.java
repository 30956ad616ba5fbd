package org.cellpilot;

/** A slide region shrunk by averaging each output pixel's source pixels (a box filter), read block by block. */
final class BoxShrink {
    private BoxShrink() {}

    /** The level-0 rectangle {@code region}, read from {@code level} and shrunk to {@code outWidth × outHeight}. */
    static RgbImage of(Slide slide, java.awt.Rectangle region, int level, int outWidth, int outHeight, int block) {
        double ds = slide.levelDownsample(level);
        long ox = (long) Math.floor(region.x / ds);
        long oy = (long) Math.floor(region.y / ds);
        long lw = Math.max(1, Math.min((long) Math.floor(region.width / ds), slide.levelWidth(level) - ox));
        long lh = Math.max(1, Math.min((long) Math.floor(region.height / ds), slide.levelHeight(level) - oy));
        long[] sums = new long[outWidth * outHeight * 3];
        int[] counts = new int[outWidth * outHeight];
        for (long by = 0; by < lh; by += block) {
            int h = (int) Math.min(block, lh - by);
            for (long bx = 0; bx < lw; bx += block) {
                int w = (int) Math.min(block, lw - bx);
                byte[] px = slide.readRegion(level, (long) Math.ceil((ox + bx) * ds), (long) Math.ceil((oy + by) * ds), w, h).toBytes();
                for (int y = 0; y < h; y++) {
                    int row = (int) ((by + y) * outHeight / lh);
                    for (int x = 0; x < w; x++) {
                        int o = row * outWidth + (int) ((bx + x) * outWidth / lw);
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
