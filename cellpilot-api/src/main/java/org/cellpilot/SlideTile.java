package org.cellpilot;

import java.awt.Rectangle;

/**
 * One tile of a whole-slide run: its index in the run's plan (row by row), its column and row, and the level-0
 * pixels it covers (overlap included).
 */
public record SlideTile(int index, int column, int row, Rectangle bounds) {
    public SlideTile {
        bounds = new Rectangle(bounds);
    }

    @Override
    public Rectangle bounds() {
        return new Rectangle(bounds);
    }

    @Override
    public String toString() {
        return "tile " + index + " (column " + column + ", row " + row + ") at level-0 " + bounds.x + "," + bounds.y + " "
                + bounds.width + "x" + bounds.height;
    }
}
