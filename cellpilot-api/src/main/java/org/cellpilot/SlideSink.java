package org.cellpilot;

import java.io.IOException;
import java.util.List;

/**
 * Receives a whole-slide run's cells tile by tile, as tiles finish, so the run never holds the slide's cells.
 * Calls come one at a time (never concurrently), in the order tiles finish. An exception from
 * {@link #accept} stops the run, which then throws it.
 */
public interface SlideSink {
    /** The cells that {@code tile} owns, in level-0 pixels; called once per tile, also when it found none. */
    void accept(SlideTile tile, List<Mask> cells) throws IOException;

    /** {@code tile} could not be read or segmented; the run goes on with the others. */
    default void failed(SlideTile tile, Exception reason) throws IOException {
    }

    /** True for a tile that an interrupted earlier run already delivered: a resumed run skips it. */
    default boolean alreadyDone(SlideTile tile) {
        return false;
    }
}
