package org.cellpilot.spark;

import java.io.Serializable;

/**
 * One unit of work: a region of an image to read and segment, in level-0 pixels, and the core whose cells it
 * owns. {@code index} numbers the image's tiles from 0; with the rank of a cell in its tile it makes the cell's id.
 *
 * @param region {x, y, width, height} to read
 * @param core {x0, y0, x1, y1}: a cell whose centroid falls here belongs to this tile (x1, y1 exclusive)
 */
record Tile(String image, String path, int index, int[] region, int[] core) implements Serializable {
    /** Cells per tile that ids leave room for. */
    static final long IDS_PER_TILE = 1L << 20;

    long cellId(int rank) {
        return index * IDS_PER_TILE + rank;
    }

    boolean owns(double x, double y) {
        return x >= core[0] && x < core[2] && y >= core[1] && y < core[3];
    }
}
