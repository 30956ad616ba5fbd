package org.cellpilot.spark;

import java.awt.Rectangle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.cellpilot.Mask;
import org.cellpilot.RgbImage;
import org.cellpilot.Session;
import org.cellpilot.Slide;
import org.cellpilot.SlideSink;
import org.cellpilot.SlideTile;

/**
 * Segments one tile as {@code cellpilot segment} would: an image taken whole in one session; a tile of a streamed
 * slide through the whole-slide run, which keeps the cells the tile owns under the tile plan's ownership rule (the
 * tile whose core holds the centroid), in level-0 pixels, so that each cell comes once, whole, from one task.
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
        if (tile.whole()) {
            return wholeImage(slide, tile);
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

    /** The cells of an image segmented whole, as {@code cellpilot segment} segments it. */
    private List<CellRecord> wholeImage(Slide slide, Tile tile) throws UnreadableInputException {
        Rectangle b = tile.bounds();
        RgbImage pixels;
        try {
            pixels = slide.readRegion(0, b.x, b.y, b.width, b.height);
        } catch (RuntimeException e) {
            throw new UnreadableInputException("cannot read " + tile + " of " + tile.path(), e);
        }
        List<CellRecord> cells = new ArrayList<>();
        try (Session session = segmentation.cellPilot().open(pixels)) {
            for (Mask m : session.segmentAutomatically()) {
                cells.add(Cells.of(tile.image(), m));
            }
        }
        return cells;
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
