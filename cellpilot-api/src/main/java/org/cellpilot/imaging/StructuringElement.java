package org.cellpilot.imaging;

/** A binary morphology footprint, row-major, anchored at its centre. */
public record StructuringElement(boolean[] cells, int height, int width) {
    public StructuringElement {
        Grids.checkSize(cells.length, height, width);
        if (height % 2 == 0 || width % 2 == 0) {
            throw new IllegalArgumentException("footprint sides must be odd to have a centre, got " + height + "x" + width);
        }
    }

    /**
     * {@code cv2.getStructuringElement(MORPH_ELLIPSE, (width, height))}: each row spans
     * {@code c ± rint(c·sqrt(1 - dy²/r²))} around the centre column c, r being half the height.
     */
    public static StructuringElement ellipse(int height, int width) {
        int r = height / 2;
        int c = width / 2;
        double inverseR2 = r == 0 ? 0 : 1.0 / ((double) r * r);
        boolean[] cells = new boolean[height * width];
        for (int i = 0; i < height; i++) {
            int dy = i - r;
            int dx = (int) Math.rint(c * Math.sqrt((r * r - dy * dy) * inverseR2));
            for (int j = Math.max(c - dx, 0); j < Math.min(c + dx + 1, width); j++) {
                cells[i * width + j] = true;
            }
        }
        return new StructuringElement(cells, height, width);
    }
}
