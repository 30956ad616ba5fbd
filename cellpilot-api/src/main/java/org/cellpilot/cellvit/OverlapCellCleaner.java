package org.cellpilot.cellvit;

import java.awt.geom.Area;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cellpilot.cellvit.TileGrid.Tile;
import org.cellpilot.imaging.BoundingBox;

/**
 * CellViT's merge of the cells found in overlapping tiles ({@code CellPostProcessor} of the original repository,
 * {@code OverlapCellCleaner} of CellViT-Inference; cellvit.md section 3), rule for rule:
 * <ol>
 * <li>a cell whose box stays {@code margin} pixels clear of its tile's sides is kept, unexamined;</li>
 * <li>a cell in the margin that does not touch the tile's side is a candidate;</li>
 * <li>a cell that touches a side is a candidate only if the first neighbouring tile on that side (in the
 * reference's clockwise order) produced no margin cells, i.e. no tile sees the rest of it; cells touching opposite
 * or three sides are dropped, as the reference has no neighbour for them;</li>
 * <li>among the candidates, up to 20 rounds: each cell not yet visited collects the unvisited cells whose polygons
 * overlap it by more than 1% of either area; if there are any, the largest of them survives and the cell itself
 * goes, otherwise it stays.</li>
 * </ol>
 * Polygons are the cells' contours; one that is not simple (the border touching itself) counts as its largest
 * part, as shapely's {@code buffer(0)} fix in the reference. Where the reference leaves the order to its spatial
 * index, cells are visited in input order and ties go to the earlier cell.
 */
final class OverlapCellCleaner {
    private static final int MAX_ROUNDS = 20;
    private static final double MIN_OVERLAP = 0.01;
    private static final int BUCKET = 64;

    /** A cell in image coordinates and the tile it was found in. */
    record TileCell(Tile tile, Cell cell) {
    }

    private OverlapCellCleaner() {
    }

    /** The cells to keep, in input order. */
    static List<Cell> clean(List<TileCell> cells, int margin) {
        boolean[] keep = new boolean[cells.size()];
        Set<List<Integer>> tilesWithMarginCells = new HashSet<>();
        for (int i = 0; i < cells.size(); i++) {
            TileCell c = cells.get(i);
            if (inMargin(local(c), c.tile().side(), margin)) {
                tilesWithMarginCells.add(List.of(c.tile().row(), c.tile().col()));
            } else {
                keep[i] = true;
            }
        }
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            if (!keep[i] && isCandidate(cells.get(i), tilesWithMarginCells)) {
                candidates.add(i);
            }
        }
        for (int i : removeOverlaps(cells, candidates)) {
            keep[i] = true;
        }
        List<Cell> kept = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            if (keep[i]) {
                kept.add(cells.get(i).cell());
            }
        }
        return kept;
    }

    private static BoundingBox local(TileCell c) {
        BoundingBox b = c.cell().bbox();
        int x0 = c.tile().x0();
        int y0 = c.tile().y0();
        return new BoundingBox(b.rowMin() - y0, b.colMin() - x0, b.rowMax() - y0, b.colMax() - x0);
    }

    /** {@code get_cell_position_marging(...) != 0}. */
    private static boolean inMargin(BoundingBox b, int side, int margin) {
        return Math.max(b.rowMax(), b.colMax()) > side - margin || Math.min(b.rowMin(), b.colMin()) < margin;
    }

    /**
     * Rules 2 and 3 for a margin cell. The position bits are the reference's {@code [top, right, down, left]}, and
     * the neighbour is {@code get_edge_patch(...)[0]}.
     */
    private static boolean isCandidate(TileCell c, Set<List<Integer>> tilesWithMarginCells) {
        BoundingBox b = local(c);
        int side = c.tile().side();
        int position = (b.rowMin() == 0 ? 8 : 0) | (b.colMax() == side ? 4 : 0) | (b.rowMax() == side ? 2 : 0)
                | (b.colMin() == 0 ? 1 : 0);
        if (position == 0) {
            return true;
        }
        int row = c.tile().row();
        int col = c.tile().col();
        List<Integer> neighbour = switch (position) {
            case 0b1000, 0b1100 -> List.of(row - 1, col);
            case 0b0100, 0b0110 -> List.of(row, col + 1);
            case 0b0010, 0b0011 -> List.of(row + 1, col);
            case 0b0001, 0b1001 -> List.of(row, col - 1);
            default -> null;
        };
        return neighbour != null && !tilesWithMarginCells.contains(neighbour);
    }

    private static List<Integer> removeOverlaps(List<TileCell> cells, List<Integer> candidates) {
        Map<Integer, Polygon> polygons = new HashMap<>();
        for (int i : candidates) {
            polygons.put(i, Polygon.of(cells.get(i).cell().contour()));
        }
        List<Integer> current = candidates;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Map<Long, List<Integer>> buckets = buckets(cells, current);
            Set<Integer> visited = new HashSet<>();
            List<Integer> merged = new ArrayList<>();
            int overlaps = 0;
            for (int q : current) {
                if (visited.contains(q)) {
                    continue;
                }
                int largest = -1;
                for (int o : near(cells.get(q).cell().bbox(), buckets)) {
                    if (o != q && !visited.contains(o) && polygons.get(q).overlapsEnough(polygons.get(o))) {
                        visited.add(o);
                        overlaps++;
                        if (largest < 0 || polygons.get(o).area > polygons.get(largest).area) {
                            largest = o;
                        }
                    }
                }
                merged.add(largest < 0 ? q : largest);
                visited.add(q);
            }
            if (overlaps == 0) {
                break;
            }
            merged.sort(null);
            current = merged;
        }
        return current;
    }

    /** Each cell under every {@link #BUCKET}-pixel square its box reaches, standing in for the reference's STRtree. */
    private static Map<Long, List<Integer>> buckets(List<TileCell> cells, List<Integer> which) {
        Map<Long, List<Integer>> buckets = new HashMap<>();
        for (int i : which) {
            BoundingBox b = cells.get(i).cell().bbox();
            for (int by = b.rowMin() / BUCKET; by <= (b.rowMax() - 1) / BUCKET; by++) {
                for (int bx = b.colMin() / BUCKET; bx <= (b.colMax() - 1) / BUCKET; bx++) {
                    buckets.computeIfAbsent(key(bx, by), k -> new ArrayList<>()).add(i);
                }
            }
        }
        return buckets;
    }

    /** Cells in the buckets {@code b} reaches, in input order. */
    private static Set<Integer> near(BoundingBox b, Map<Long, List<Integer>> buckets) {
        Set<Integer> found = new TreeSet<>();
        for (int by = b.rowMin() / BUCKET; by <= (b.rowMax() - 1) / BUCKET; by++) {
            for (int bx = b.colMin() / BUCKET; bx <= (b.colMax() - 1) / BUCKET; bx++) {
                found.addAll(buckets.getOrDefault(key(bx, by), List.of()));
            }
        }
        return found;
    }

    private static long key(int bx, int by) {
        return (long) by << 32 | (bx & 0xffffffffL);
    }

    /** A cell's contour as a region, with its area. */
    private record Polygon(Area region, double area) {
        static Polygon of(int[][] contour) {
            double[] ring = new double[2 * contour.length];
            for (int i = 0; i < contour.length; i++) {
                ring[2 * i] = contour[i][0];
                ring[2 * i + 1] = contour[i][1];
            }
            Area region = new Area(path(ring));
            if (!region.isSingular()) {
                region = largestPart(region);
            }
            return new Polygon(region, area(region));
        }

        /** More than 1% of either area shared; a polygon without area shares none. */
        boolean overlapsEnough(Polygon other) {
            Area common = new Area(region);
            common.intersect(other.region);
            double shared = area(common);
            return shared / area > MIN_OVERLAP || shared / other.area > MIN_OVERLAP;
        }

        /** The ring enclosing most area: an outer border, since a hole is always smaller than the border around it. */
        private static Area largestPart(Area region) {
            double[] best = null;
            for (double[] ring : rings(region)) {
                if (best == null || Math.abs(signedArea(ring)) > Math.abs(signedArea(best))) {
                    best = ring;
                }
            }
            return new Area(path(best));
        }

        private static double area(Area region) {
            double sum = 0;
            for (double[] ring : rings(region)) {
                sum += signedArea(ring);
            }
            // Area orients outer borders one way and holes the other, so the signed sum is the area up to its sign.
            return Math.abs(sum);
        }

        /** The closed rings of a region, each as x0, y0, x1, y1, …; an {@link Area} holds only straight edges. */
        private static List<double[]> rings(Area region) {
            List<double[]> rings = new ArrayList<>();
            List<Double> ring = new ArrayList<>();
            double[] c = new double[6];
            for (PathIterator it = region.getPathIterator(null); !it.isDone(); it.next()) {
                int segment = it.currentSegment(c);
                if (segment == PathIterator.SEG_CLOSE) {
                    rings.add(ring.stream().mapToDouble(Double::doubleValue).toArray());
                    ring.clear();
                } else {
                    ring.add(c[0]);
                    ring.add(c[1]);
                }
            }
            return rings;
        }

        /** The shoelace formula. */
        private static double signedArea(double[] ring) {
            double sum = 0;
            for (int i = 0; i < ring.length; i += 2) {
                int j = (i + 2) % ring.length;
                sum += ring[i] * ring[j + 1] - ring[j] * ring[i + 1];
            }
            return sum / 2;
        }

        private static Path2D.Double path(double[] ring) {
            Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO);
            path.moveTo(ring[0], ring[1]);
            for (int i = 2; i < ring.length; i += 2) {
                path.lineTo(ring[i], ring[i + 1]);
            }
            path.closePath();
            return path;
        }
    }
}
