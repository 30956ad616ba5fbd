package org.cellpilot.spark;

import java.awt.Rectangle;
import java.io.Serializable;

/**
 * One unit of work: a tile of an image's tile plan, by its index in the plan (row by row), with the level-0 pixels
 * it covers, overlap included.
 */
record Tile(String image, String path, int index, Rectangle bounds) implements Serializable {
    @Override
    public String toString() {
        return "tile " + index + " at " + bounds.x + "," + bounds.y + " (" + bounds.width + "x" + bounds.height + ")";
    }
}
