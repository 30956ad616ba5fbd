package org.cellpilot.cellvit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cellpilot.cellvit.TileGrid.Tile;
import org.junit.jupiter.api.Test;

/**
 * Tiling and merging without the network, on the maps of a {@link SyntheticNuclei} slide of 620×520: 256 px tiles
 * sharing 64 px, so nine tiles with seams both ways and the last row and column running past the image (background
 * there, as white padding is). Each tile goes through the real {@link HoverPostProcess} and then the merge. Discs
 * at a seam are cut in one tile and whole in the next, or whole in two; every disc must come out exactly once and
 * whole, with neither a cut piece nor a second copy left.
 */
class CellVitTilerTest {
    private static final int WIDTH = 620;
    private static final int HEIGHT = 520;
    private static final int TILE = 256;
    private static final int OVERLAP = 64;

    @Test
    void gridCoversTheImageWithAUniformStride() {
        TileGrid grid = TileGrid.cover(WIDTH, HEIGHT, TILE, OVERLAP, 16);
        assertEquals(List.of(3, 3), List.of(grid.rows(), grid.cols()));
        Tile last = grid.tiles().get(8);
        assertEquals(List.of(384, 384, 256), List.of(last.x0(), last.y0(), last.side()));
        TileGrid wide = TileGrid.cover(2000, 900, 1024, 64, 16);
        assertEquals(List.of(1, 3, 1024), List.of(wide.rows(), wide.cols(), wide.side()));
        TileGrid small = TileGrid.cover(100, 90, 1024, 64, 16);
        assertEquals(List.of(1, 1, 112), List.of(small.rows(), small.cols(), small.side()));
        assertEquals(1024, TileGrid.cover(1024, 1024, 1024, 64, 16).side());
        assertEquals(2, TileGrid.cover(1025, 10, 1024, 64, 16).cols());
    }

    @Test
    void everyNucleusComesOutOnceAndWholeAcrossSeams() {
        SyntheticNuclei slide = new SyntheticNuclei(WIDTH, HEIGHT, 5, 5);
        TileGrid grid = TileGrid.cover(WIDTH, HEIGHT, TILE, OVERLAP, 16);
        HoverPostProcess post = HoverPostProcess.forMagnification(40);

        int perTile = 0;
        for (Tile t : grid.tiles()) {
            perTile += CellVitTiler.cells(grid, t, slide.detections(post, t)).size();
        }
        int discs = slide.discs.size();
        assertTrue(perTile > discs + 20, "the tiles should see many nuclei twice or cut: " + perTile + " for " + discs);
        assertTrue(countAtSeams(slide, true) >= 10 && countAtSeams(slide, false) >= 10, "too few nuclei on seams");

        List<Cell> cells = CellVitTiler.detect(grid, t -> slide.detections(post, t));
        slide.assertEachFoundOnceAndWhole(cells);
        assertEquals(TissueType.SKIN, cells.get(0).tissue());
        assertEquals(List.of(1, cells.size()), List.of(cells.get(0).id(), cells.get(cells.size() - 1).id()));
    }

    /** Discs whole in the strip two tiles share ({@code whole}), or cut by some tile's side. */
    private static int countAtSeams(SyntheticNuclei slide, boolean whole) {
        int n = 0;
        int stride = TILE - OVERLAP;
        for (SyntheticNuclei.Disc d : slide.discs) {
            boolean found = false;
            for (int k = 1; k < 3; k++) {
                for (double c : new double[] {d.cx(), d.cy()}) {
                    int start = k * stride;
                    int end = start + OVERLAP;
                    boolean inStrip = c - d.r() >= start && c + d.r() < end;
                    boolean cut = (c - d.r() < start && c + d.r() >= start) || (c - d.r() < end && c + d.r() >= end);
                    found |= whole ? inStrip : cut;
                }
            }
            n += found ? 1 : 0;
        }
        return n;
    }
}
