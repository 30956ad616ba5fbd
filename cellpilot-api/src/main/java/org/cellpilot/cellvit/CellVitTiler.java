package org.cellpilot.cellvit;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.cellpilot.CellType;
import org.cellpilot.MaskRaster;
import org.cellpilot.RgbImage;
import org.cellpilot.cellvit.OverlapCellCleaner.TileCell;
import org.cellpilot.cellvit.TileGrid.Tile;
import org.cellpilot.imaging.BoundingBox;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * CellViT on an image of any size, as its WSI pipeline runs it: 1024×1024 tiles whose neighbours share 64 pixels,
 * padded with white past the image, each through the network and {@link HoverPostProcess}, then the cells of all
 * tiles merged by CellViT's overlap rules (see {@link OverlapCellCleaner}). An image that fits in one tile runs as
 * one square tile of its own size, rounded up to the patch size. A CellViT-SAM whose trained image is smaller than
 * 1024 gets tiles of that size instead.
 *
 * <p>Tiles run one at a time and keep only their cells, so memory grows with the number of cells, not with the
 * image area. Like the reference, it expects 40× images (about 0.25 µm per pixel), keeps no background-typed
 * cells and drops cells that reach past the image. Thread-safe: each call has its own state.
 */
public final class CellVitTiler {
    public static final int TILE = 1024;
    public static final int OVERLAP = 64;

    private final CellVit model;
    private final HoverPostProcess post;
    private final int tile;

    /** {@code model} stays the caller's; the post-processing is CellViT's at 40×. */
    public CellVitTiler(CellVit model) {
        this(model, TILE);
    }

    /** Tiles of {@code tile} pixels (or the model's largest input, if smaller), for tests that want many seams. */
    CellVitTiler(CellVit model, int tile) {
        this.model = model;
        this.post = HoverPostProcess.forMagnification(40);
        int largest = model.maxInputSide() / model.patchSize() * model.patchSize();
        this.tile = Math.min(tile, largest);
    }

    /** Every nucleus of {@code image}, in reading order of the tiles that found them. */
    public List<Cell> detect(RgbImage image) {
        TileGrid grid = TileGrid.cover(image.width(), image.height(), tile, OVERLAP, model.patchSize());
        return detect(grid, t -> predict(image, t));
    }

    /** One tile's post-processed network outputs. */
    record TileDetections(HoverPostProcess.Result maps, TissueType tissue) {
    }

    /** The tiling and merging, on whatever {@code predict} makes of each tile: the network, or a test's maps. */
    static List<Cell> detect(TileGrid grid, Function<Tile, TileDetections> predict) {
        List<TileCell> found = new ArrayList<>();
        for (Tile t : grid.tiles()) {
            found.addAll(cells(grid, t, predict.apply(t)));
        }
        List<Cell> kept = OverlapCellCleaner.clean(found, grid.overlap());
        List<Cell> numbered = new ArrayList<>(kept.size());
        for (Cell c : kept) {
            numbered.add(new Cell(numbered.size() + 1, c.bbox(), c.centroidX(), c.centroidY(), c.contour(), c.type(),
                    c.typeProbability(), c.tissue(), c.mask()));
        }
        return numbered;
    }

    /** A tile's cells in image coordinates; the reference skips background-typed cells and cells past the image. */
    static List<TileCell> cells(TileGrid grid, Tile t, TileDetections detections) {
        HoverPostProcess.Result maps = detections.maps();
        List<TileCell> out = new ArrayList<>();
        for (DetectedCell d : maps.cells()) {
            BoundingBox local = d.bbox();
            BoundingBox box = new BoundingBox(local.rowMin() + t.y0(), local.colMin() + t.x0(), local.rowMax() + t.y0(),
                    local.colMax() + t.x0());
            if (d.type() == 0 || box.rowMax() > grid.height() || box.colMax() > grid.width()) {
                continue;
            }
            int[][] contour = new int[d.contour().length][];
            for (int i = 0; i < contour.length; i++) {
                contour[i] = new int[] {d.contour()[i][0] + t.x0(), d.contour()[i][1] + t.y0()};
            }
            MaskRaster mask = MaskRaster.of(box.colMin(), box.rowMin(), box.width(), box.height(),
                    (x, y) -> maps.instanceMap()[(y - t.y0()) * maps.width() + x - t.x0()] == d.id());
            Cell cell = new Cell(d.id(), box, d.centroidX() + t.x0(), d.centroidY() + t.y0(), contour,
                    CellType.fromCellVitIndex(d.type()), d.typeProbability(), detections.tissue(), mask);
            out.add(new TileCell(t, cell));
        }
        return out;
    }

    private TileDetections predict(RgbImage image, Tile t) {
        try (Scope scope = Scope.open()) {
            // The tile goes to the network's device as bytes, a quarter of what the normalised floats would be.
            Tensor rgb = Ops.to(Tensor.ofBytes(whitePadded(image, t), DType.UINT8, 1, t.side(), t.side(), 3), model.device());
            CellVitOutput out = model.forward(CellVit.normalize(rgb));
            long types = out.nucleiTypeMap().size(1);
            long tissues = out.tissueTypes().size(1);
            if (types != CellType.values().length + 1 || tissues != TissueType.values().length) {
                throw new IllegalArgumentException("the tiler names PanNuke's " + (CellType.values().length + 1)
                        + " nucleus classes and " + TissueType.values().length + " tissues; this model has " + types + " and "
                        + tissues);
            }
            HoverPostProcess.Result maps = post.process(out.nucleiBinaryMap(), out.hvMap(), out.nucleiTypeMap());
            return new TileDetections(maps, TissueType.fromIndex(argmax(out.tissueTypes().toFloatArray())));
        }
    }

    /** The tile's pixels, with 255 past the image's right and bottom edges, as CellViT's patcher pads. */
    private static byte[] whitePadded(RgbImage image, Tile t) {
        int width = Math.min(t.side(), image.width() - t.x0());
        int height = Math.min(t.side(), image.height() - t.y0());
        byte[] region = image.crop(new Rectangle(t.x0(), t.y0(), width, height)).toBytes();
        byte[] out = new byte[t.side() * t.side() * 3];
        Arrays.fill(out, (byte) 255);
        for (int y = 0; y < height; y++) {
            System.arraycopy(region, y * width * 3, out, y * t.side() * 3, width * 3);
        }
        return out;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
