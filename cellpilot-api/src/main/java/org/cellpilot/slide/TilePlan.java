package org.cellpilot.slide;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

/**
 * How an area is cut into overlapping square tiles, and which tile owns each cell: the one place that decides seams
 * for the tiled detector, the whole-slide run and the Spark job.
 *
 * <p>Tiles step by {@code tile − overlap} from the area's top-left corner; the last row and column are moved back
 * to end at the area's edge, so every tile lies inside the area and is full size when the area allows. Each tile
 * has a <b>core</b>: the tile less half the overlap on each inner side (exactly, the midpoint of the overlap with
 * each neighbour), and the tile's full extent on the area's outer sides. The cores partition the area.
 *
 * <p><b>Ownership rule:</b> a cell belongs to the tile whose core contains its centroid ({@link Tile#owns}). A tile
 * keeps only the cells it owns, so each cell is kept once, from one tile, whatever order tiles finish in. When the
 * overlap exceeds the largest cell's diameter, the owner sees its cells whole: a centroid in the core lies at least
 * half the overlap from the tile's inner edges.
 */
public final class TilePlan {
    private final Rectangle area;
    private final int tile;
    private final int overlap;
    private final int[] xStarts;
    private final int[] yStarts;
    private final int[] xCuts;
    private final int[] yCuts;

    private TilePlan(Rectangle area, int tile, int overlap) {
        this.area = new Rectangle(area);
        this.tile = tile;
        this.overlap = overlap;
        this.xStarts = starts(area.width, tile, overlap);
        this.yStarts = starts(area.height, tile, overlap);
        this.xCuts = cuts(xStarts, area.width, tile);
        this.yCuts = cuts(yStarts, area.height, tile);
    }

    /** Tiles of {@code tile} pixels overlapping by {@code overlap} over {@code area} (any pixel frame). */
    public static TilePlan cover(Rectangle area, int tile, int overlap) {
        if (area.isEmpty() || tile <= 0 || overlap < 0 || overlap >= tile) {
            throw new IllegalArgumentException("cannot tile " + area.width + "x" + area.height + " px with " + tile + " px tiles overlapping by "
                    + overlap + " px: need a non-empty area and 0 <= overlap < tile");
        }
        return new TilePlan(area, tile, overlap);
    }

    /** Tile starts along one side of {@code length}, relative to the area's origin. */
    private static int[] starts(int length, int tile, int overlap) {
        if (length <= tile) {
            return new int[] {0};
        }
        int stride = tile - overlap;
        int n = (length - tile + stride - 1) / stride + 1;
        int[] s = new int[n];
        for (int i = 0; i < n - 1; i++) {
            s[i] = i * stride;
        }
        s[n - 1] = length - tile;
        return s;
    }

    /** Core boundaries: 0, the midpoint of each neighbouring pair's overlap, then the length. */
    private static int[] cuts(int[] starts, int length, int tile) {
        int[] c = new int[starts.length + 1];
        for (int i = 1; i < starts.length; i++) {
            int previousEnd = starts[i - 1] + tile;
            c[i] = (starts[i] + previousEnd) / 2;
        }
        c[starts.length] = length;
        return c;
    }

    public Rectangle area() {
        return new Rectangle(area);
    }

    public int tileSize() {
        return tile;
    }

    public int overlap() {
        return overlap;
    }

    public int columns() {
        return xStarts.length;
    }

    public int rows() {
        return yStarts.length;
    }

    public int size() {
        return xStarts.length * yStarts.length;
    }

    /** Tile {@code index}, row by row from the top-left. */
    public Tile tile(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("tile " + index + " of " + size());
        }
        int column = index % columns();
        int row = index / columns();
        Rectangle bounds = new Rectangle(area.x + xStarts[column], area.y + yStarts[row], Math.min(tile, area.width),
                Math.min(tile, area.height));
        Rectangle core = new Rectangle(area.x + xCuts[column], area.y + yCuts[row], xCuts[column + 1] - xCuts[column],
                yCuts[row + 1] - yCuts[row]);
        return new Tile(index, column, row, bounds, core);
    }

    /** Every tile, row by row. */
    public List<Tile> tiles() {
        List<Tile> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(tile(i));
        }
        return out;
    }

    /** The tile whose core contains (x, y); the point must lie inside the area. */
    public Tile owner(double x, double y) {
        if (x < area.x || y < area.y || x >= area.x + area.width || y >= area.y + area.height) {
            throw new IllegalArgumentException("(" + x + ", " + y + ") lies outside the tiled area " + area);
        }
        return tile(span(yCuts, y - area.y) * columns() + span(xCuts, x - area.x));
    }

    private static int span(int[] cuts, double v) {
        int i = 0;
        while (v >= cuts[i + 1]) {
            i++;
        }
        return i;
    }

    /** One tile: its place in the plan, its pixels and its core, in the plan's pixel frame. */
    public record Tile(int index, int column, int row, Rectangle bounds, Rectangle core) {
        /** The ownership rule: true when this tile's core contains the centroid (cx, cy), borders half-open. */
        public boolean owns(double cx, double cy) {
            return cx >= core.x && cx < core.x + core.width && cy >= core.y && cy < core.y + core.height;
        }
    }
}
