package org.cellpilot.cellvit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.cellpilot.CellType;
import org.cellpilot.MaskRaster;
import org.cellpilot.cellvit.OverlapCellCleaner.TileCell;
import org.cellpilot.cellvit.TileGrid.Tile;
import org.cellpilot.imaging.BoundingBox;
import org.junit.jupiter.api.Test;

/**
 * The merge rules of CellViT's cleaner (cellvit.md section 3) on hand-placed square cells: 256 px tiles sharing 64
 * px, so tile (r, c) starts at (192·c, 192·r) and its margin is the outer 64 px. Each cell's id says which copy it is.
 */
class OverlapCellCleanerTest {
    private static final int SIDE = 256;
    private static final int MARGIN = 64;
    private static final int STRIDE = SIDE - MARGIN;

    private final List<TileCell> cells = new ArrayList<>();

    @Test
    void cellsClearOfTheMarginAreKeptEvenWhenTheyOverlap() {
        add(0, 0, 1, 100, 100, 20);
        add(0, 0, 2, 105, 105, 20);
        assertKept(1, 2);
    }

    /** A cell inside the shared strip is whole in both tiles: the copy from the second tile survives the first's query. */
    @Test
    void aCellSeenWholeByTwoTilesIsKeptOnce() {
        add(0, 0, 1, 200, 100, 24);
        add(0, 1, 2, 201, 100, 20);
        add(0, 0, 3, 100, 100, 20);
        assertKept(2, 3);
    }

    /** In the corner four tiles share, the query's copy goes and the largest of the other three stays. */
    @Test
    void amongSeveralCopiesTheLargestNeighbourSurvives() {
        add(0, 0, 1, 210, 210, 22);
        add(0, 1, 2, 210, 210, 20);
        add(1, 0, 3, 209, 209, 24);
        add(1, 1, 4, 211, 211, 18);
        assertKept(3);
    }

    @Test
    void cellsSharingUnderOnePercentAreBothKept() {
        add(0, 0, 1, 200, 100, 21);
        add(0, 1, 2, 219, 119, 21);
        assertKept(1, 2);
    }

    /**
     * Tile (0, 0) sees the cell cut by its right side; tile (0, 1) sees all of it inside its margin. The whole copy
     * comes first, so that the overlap rule alone would keep the cut one.
     */
    @Test
    void aCellCutAtASeamIsDroppedForTheWholeCopy() {
        add(0, 1, 2, 240, 100, 22);
        add(0, 0, 1, 240, 100, 16);
        assertKept(2);
    }

    @Test
    void aCellCutByTheImageBorderIsKept() {
        add(0, 0, 1, 0, 100, 12);
        add(0, 1, 2, 250, 0, 12);
        assertKept(1, 2);
    }

    /**
     * The reference asks whether the neighbour produced margin cells, not whether it exists: with only a mid cell
     * in tile (0, 1), the cut cell of tile (0, 0) stays.
     */
    @Test
    void aNeighbourWithoutMarginCellsDoesNotClaimACutCell() {
        add(0, 0, 1, 240, 100, 16);
        add(0, 1, 2, 300, 100, 20);
        assertKept(1, 2);
    }

    /** {@code get_edge_patch} has no entry for a cell touching two opposite sides, and the reference skips it. */
    @Test
    void aCellTouchingOppositeSidesIsDropped() {
        cells.add(cell(0, 0, 1, new BoundingBox(0, 100, SIDE, 120)));
        add(0, 0, 2, 100, 100, 20);
        assertKept(2);
    }

    /** A square cell with {@code size} pixels a side, its top-left pixel at image (x, y), found in tile (row, col). */
    private void add(int row, int col, int id, int x, int y, int size) {
        cells.add(cell(row, col, id, new BoundingBox(y, x, y + size, x + size)));
    }

    private static TileCell cell(int row, int col, int id, BoundingBox box) {
        int[][] contour = {{box.colMin(), box.rowMin()}, {box.colMin(), box.rowMax() - 1}, {box.colMax() - 1, box.rowMax() - 1},
                {box.colMax() - 1, box.rowMin()}};
        MaskRaster mask = MaskRaster.of(box.colMin(), box.rowMin(), box.width(), box.height(), (x, y) -> true);
        Cell c = new Cell(id, box, (box.colMin() + box.colMax() - 1) / 2.0, (box.rowMin() + box.rowMax() - 1) / 2.0, contour,
                CellType.NEOPLASTIC, 1.0, TissueType.COLON, mask);
        return new TileCell(new Tile(row, col, col * STRIDE, row * STRIDE, SIDE), c);
    }

    private void assertKept(Integer... ids) {
        List<Integer> kept = OverlapCellCleaner.clean(cells, MARGIN).stream().map(Cell::id).toList();
        assertEquals(List.of(ids), kept);
    }
}
