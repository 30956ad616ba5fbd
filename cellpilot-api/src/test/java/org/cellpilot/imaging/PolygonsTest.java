package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PolygonsTest {
    @Test
    void dropsCollinearPoints() {
        int[][] line = {{0, 0}, {1, 1}, {2, 2}, {3, 3}};
        assertArrayEquals(new int[][] {{0, 0}, {3, 3}}, Polygons.simplify(line, 0.1, false));
    }

    /** The middle point lies 1 px off the chord: kept below that tolerance, dropped above it. */
    @Test
    void keepsPointsFartherThanEpsilon() {
        int[][] bump = {{0, 0}, {2, 1}, {4, 0}};
        assertArrayEquals(bump, Polygons.simplify(bump, 0.9, false));
        assertArrayEquals(new int[][] {{0, 0}, {4, 0}}, Polygons.simplify(bump, 1.1, false));
    }

    /** A closed square traced with edge midpoints keeps its corners, split at the first point and the far corner. */
    @Test
    void closedPolygonsKeepTheirCorners() {
        int[][] square = {{0, 0}, {0, 2}, {0, 4}, {2, 4}, {4, 4}, {4, 2}, {4, 0}, {2, 0}};
        assertArrayEquals(new int[][] {{0, 0}, {0, 4}, {4, 4}, {4, 0}}, Polygons.simplify(square, 0.5, true));
    }
}
