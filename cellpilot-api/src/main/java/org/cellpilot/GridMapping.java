package org.cellpilot;

/**
 * Masks found on a coarser (or finer) pixel grid than level 0, brought back to level 0: grid pixel (0, 0) starts at
 * level-0 (originX, originY) and each grid pixel spans {@code scale} level-0 pixels. Each level-0 pixel takes the
 * value of the grid pixel under its centre, so areas scale by scale² and outlines stay on pixel edges.
 */
final class GridMapping {
    private GridMapping() {}

    static MaskRaster toLevel0(MaskRaster grid, double scale, int originX, int originY) {
        if (scale == 1) {
            return grid.translate(originX, originY);
        }
        int[] b = grid.bounds();
        int x0 = originX + (int) Math.floor(b[0] * scale);
        int y0 = originY + (int) Math.floor(b[1] * scale);
        int x1 = originX + (int) Math.ceil(b[2] * scale);
        int y1 = originY + (int) Math.ceil(b[3] * scale);
        return MaskRaster.of(x0, y0, x1 - x0, y1 - y0, (x, y) -> grid.contains((int) Math.floor((x - originX + 0.5) / scale),
                (int) Math.floor((y - originY + 0.5) / scale)));
    }
}
