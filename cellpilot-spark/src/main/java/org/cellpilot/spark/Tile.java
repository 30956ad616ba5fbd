package org.cellpilot.spark;

import java.awt.Rectangle;
import java.io.Serializable;

/**
 * One unit of work: a tile of a slide's whole-slide tile plan, by its index in the plan (row by row), with the
 * level-0 pixels it covers, overlap included; or, for an image that {@code cellpilot segment} takes whole, the
 * whole image.
 */
record Tile(String image, String path, int index, Rectangle bounds, boolean whole) implements Serializable {
    static Tile whole(String image, String path, long width, long height) {
        return new Tile(image, path, 0, new Rectangle(0, 0, Math.toIntExact(width), Math.toIntExact(height)), true);
    }

    @Override
    public String toString() {
        return (whole ? "the whole image" : "tile " + index) + " at " + bounds.x + "," + bounds.y + " (" + bounds.width + "x"
                + bounds.height + ")";
    }
}
