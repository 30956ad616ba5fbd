package org.cellpilot.cellvit;

import java.util.ArrayList;
import java.util.List;

/**
 * How an image is cut into square network tiles, laid out as CellViT's patcher lays them out: a uniform stride of
 * {@code side − overlap} from the top-left corner, so that neighbours share exactly {@code overlap} pixels, and the
 * last row and column running past the image, where the tile is padded with white. An image no larger than one
 * tile is a single tile of its own size, rounded up to the patch size.
 *
 * <p>The stride must stay uniform: the merge keeps every cell in the middle of its tile unexamined, which is only
 * safe when no two tiles overlap by more than the margin.
 */
record TileGrid(int width, int height, int side, int overlap, int rows, int cols) {
    /** One tile, at pixel {@code (x0, y0)} of the image. */
    record Tile(int row, int col, int x0, int y0, int side) {
    }

    /**
     * @param tile    the tile side for images larger than one tile
     * @param overlap pixels shared by neighbouring tiles
     * @param multiple what a single tile's side is rounded up to (the network's patch size)
     */
    static TileGrid cover(int width, int height, int tile, int overlap, int multiple) {
        if (width <= 0 || height <= 0 || tile <= overlap || overlap < 0 || tile % multiple != 0) {
            throw new IllegalArgumentException("cannot tile a " + width + "x" + height + " image with " + tile + " px tiles, "
                    + overlap + " px overlap, sides a multiple of " + multiple);
        }
        if (width <= tile && height <= tile) {
            int side = (Math.max(width, height) + multiple - 1) / multiple * multiple;
            return new TileGrid(width, height, side, overlap, 1, 1);
        }
        return new TileGrid(width, height, tile, overlap, count(height, tile, overlap), count(width, tile, overlap));
    }

    private static int count(int length, int tile, int overlap) {
        int stride = tile - overlap;
        return length <= tile ? 1 : (length - tile + stride - 1) / stride + 1;
    }

    /** Row by row, as the cells of the merged result are ordered. */
    List<Tile> tiles() {
        List<Tile> tiles = new ArrayList<>(rows * cols);
        int stride = side - overlap;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                tiles.add(new Tile(r, c, c * stride, r * stride, side));
            }
        }
        return tiles;
    }
}
