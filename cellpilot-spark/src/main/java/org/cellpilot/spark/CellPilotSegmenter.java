package org.cellpilot.spark;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import org.cellpilot.Mask;
import org.cellpilot.RgbImage;
import org.cellpilot.Session;

/** Segments a tile with this executor's {@link CellPilot}, keeping the cells whose centroid lies in its core. */
final class CellPilotSegmenter implements TileSegmenter {
    private static final long serialVersionUID = 1L;
    private final ModelSpec models;

    CellPilotSegmenter(ModelSpec models) {
        this.models = models;
    }

    @Override
    public List<CellRecord> segment(Tile tile) throws UnreadableInputException {
        RgbImage pixels = read(tile);
        int[] r = tile.region();
        List<CellRecord> owned = new ArrayList<>();
        try (Session session = ExecutorModels.forTask(models).open(pixels)) {
            for (Mask m : session.segmentAutomatically()) {
                CellRecord cell = Cells.of(tile.image(), tile.cellId(owned.size()), m, r[0], r[1]);
                if (tile.owns(cell.centroidX(), cell.centroidY())) {
                    owned.add(cell);
                }
            }
        }
        return owned;
    }

    private static RgbImage read(Tile tile) throws UnreadableInputException {
        int[] r = tile.region();
        try {
            RgbImage image = RgbImage.read(LocalFiles.of(tile.path()));
            return image.crop(new Rectangle(r[0], r[1], r[2], r[3]));
        } catch (Exception e) {
            throw new UnreadableInputException("cannot read " + tile.path(), e);
        }
    }
}
