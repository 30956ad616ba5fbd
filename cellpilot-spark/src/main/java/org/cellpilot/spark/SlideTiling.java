package org.cellpilot.spark;

import java.awt.Rectangle;
import org.cellpilot.Slide;
import org.cellpilot.slide.TilePlan;

/**
 * The tile plan of a slide at level 0, as the whole-slide run cuts it for the built-in detector: 1024-pixel tiles
 * overlapping by 128 pixels. The planner and the tasks both derive it from the slide's size, so only tile
 * indices travel.
 */
final class SlideTiling {
    static final int TILE = 1024;
    static final int OVERLAP = 128;
    /** Cell ids are {@code tile index × this + the cell's number in the tile}, stable whatever order tiles finish in. */
    static final long IDS_PER_TILE = 1_000_000L;

    private SlideTiling() {
    }

    static TilePlan plan(Slide slide) {
        return TilePlan.cover(new Rectangle(0, 0, Math.toIntExact(slide.width()), Math.toIntExact(slide.height())), TILE, OVERLAP);
    }
}
