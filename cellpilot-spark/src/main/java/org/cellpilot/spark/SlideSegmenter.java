package org.cellpilot.spark;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import org.cellpilot.Mask;
import org.cellpilot.RgbImage;
import org.cellpilot.Session;
import org.cellpilot.Slide;
import org.cellpilot.slide.TilePlan;

/**
 * Segments a tile with this executor's CellPilot and keeps the cells it owns under the tile plan's ownership rule
 * (the tile whose core holds the centroid), so that each cell comes once, whole, from one task.
 */
final class SlideSegmenter implements TileSegmenter {
    private static final long serialVersionUID = 1L;
    private final ModelSpec models;

    SlideSegmenter(ModelSpec models) {
        this.models = models;
    }

    @Override
    public List<CellRecord> segment(Tile tile) throws UnreadableInputException {
        Slide slide;
        RgbImage pixels;
        Rectangle b = tile.bounds();
        try {
            slide = TaskSlides.open(tile.path());
            pixels = slide.readRegion(0, b.x, b.y, b.width, b.height);
        } catch (Exception e) {
            throw new UnreadableInputException("cannot read " + tile + " of " + tile.path(), e);
        }
        TilePlan.Tile planned = SlideTiling.plan(slide).tile(tile.index());
        List<CellRecord> owned = new ArrayList<>();
        try (Session session = ExecutorModels.forTask(models).open(pixels)) {
            for (Mask m : session.segmentAutomatically()) {
                long id = tile.index() * SlideTiling.IDS_PER_TILE + owned.size() + 1;
                CellRecord cell = Cells.of(tile.image(), id, m, b.x, b.y);
                if (planned.owns(cell.centroidX(), cell.centroidY())) {
                    owned.add(cell);
                }
            }
        }
        return owned;
    }
}
