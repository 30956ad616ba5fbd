package org.cellpilot.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.cellpilot.Mask;
import org.cellpilot.Slide;
import org.cellpilot.SlideSink;
import org.cellpilot.SlideTile;

/**
 * Segments one tile through the whole-slide run, which keeps the cells the tile owns under the tile plan's
 * ownership rule (the tile whose core holds the centroid), in level-0 pixels: each cell comes once, whole, from
 * one task, as in {@code cellpilot segment}.
 */
final class SlideSegmenter implements TileSegmenter {
    private static final long serialVersionUID = 1L;
    private final Segmentation segmentation;

    SlideSegmenter(Segmentation segmentation) {
        this.segmentation = segmentation;
    }

    @Override
    public List<CellRecord> segment(Tile tile) throws UnreadableInputException {
        Slide slide;
        try {
            slide = TaskSlides.open(tile.path());
        } catch (Exception e) {
            throw new UnreadableInputException("cannot open " + tile.path(), e);
        }
        OneTile sink = new OneTile(tile);
        try {
            segmentation.run(slide, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (sink.failure != null) {
            throw new UnreadableInputException("cannot read or segment " + tile + " of " + tile.path(), sink.failure);
        }
        if (sink.cells == null) {
            throw new IllegalStateException(tile + " of " + tile.path() + " is not in the slide's plan");
        }
        return sink.cells;
    }

    /** Lets the run segment only {@code tile}, and keeps what it delivers. */
    private static final class OneTile implements SlideSink {
        private final Tile tile;
        private List<CellRecord> cells;
        private Exception failure;

        OneTile(Tile tile) {
            this.tile = tile;
        }

        @Override
        public boolean alreadyDone(SlideTile t) {
            return t.index() != tile.index();
        }

        @Override
        public void accept(SlideTile t, List<Mask> owned) {
            cells = new ArrayList<>(owned.size());
            for (Mask m : owned) {
                cells.add(Cells.of(tile.image(), m));
            }
        }

        @Override
        public void failed(SlideTile t, Exception reason) {
            failure = reason;
        }
    }
}
