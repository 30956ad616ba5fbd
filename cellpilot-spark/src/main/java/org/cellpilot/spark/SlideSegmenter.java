package org.cellpilot.spark;

import java.awt.Rectangle;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.cellpilot.Mask;
import org.cellpilot.RgbImage;
import org.cellpilot.Session;
import org.cellpilot.Slide;

/**
 * Segments one tile as {@code cellpilot segment} would: an image taken whole in one session; a tile of a streamed
 * slide through the whole-slide plan, which keeps the cells the tile owns (the tile whose core holds the centroid),
 * in level-0 pixels, so that each cell comes once, whole, from one task.
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
        List<Mask> masks = tile.whole() ? wholeImage(slide, tile) : streamedTile(slide, tile);
        List<CellRecord> cells = new ArrayList<>(masks.size());
        for (Mask m : masks) {
            cells.add(Cells.of(tile.image(), m));
        }
        return cells;
    }

    private List<Mask> wholeImage(Slide slide, Tile tile) throws UnreadableInputException {
        Rectangle b = tile.bounds();
        RgbImage pixels;
        try {
            pixels = slide.readRegion(0, b.x, b.y, b.width, b.height);
        } catch (RuntimeException e) {
            throw new UnreadableInputException("cannot read " + tile + " of " + tile.path(), e);
        }
        try (Session session = segmentation.cellPilot().open(pixels)) {
            return session.segmentAutomatically();
        }
    }

    private List<Mask> streamedTile(Slide slide, Tile tile) throws UnreadableInputException {
        try {
            return segmentation.segment(slide, tile.slideTile());
        } catch (UncheckedIOException e) {
            throw new UnreadableInputException("cannot read " + tile + " of " + tile.path(), e);
        }
    }
}
