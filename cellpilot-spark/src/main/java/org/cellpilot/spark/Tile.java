package org.cellpilot.spark;

import java.awt.Rectangle;
import java.io.Serializable;
import org.cellpilot.SlideTile;

/**
 * One unit of work: a tile of a slide's whole-slide plan ({@link SlideTile}: index, column and row in the plan, and
 * the level-0 pixels it covers, overlap included); or, for an image that {@code cellpilot segment} takes whole, the
 * whole image.
 */
record Tile(String image, String path, int index, int column, int row, Rectangle bounds, boolean whole) implements Serializable {
    static Tile of(String image, String path, SlideTile t) {
        return new Tile(image, path, t.index(), t.column(), t.row(), t.bounds(), false);
    }

    static Tile whole(String image, String path, long width, long height) {
        return new Tile(image, path, 0, 0, 0, new Rectangle(0, 0, Math.toIntExact(width), Math.toIntExact(height)), true);
    }

    SlideTile slideTile() {
        return new SlideTile(index, column, row, bounds);
    }

    @Override
    public String toString() {
        return whole ? "the whole image" : slideTile().toString();
    }
}
