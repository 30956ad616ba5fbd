package org.cellpilot.spark;

import java.io.Serializable;
import java.util.List;

/** Segments one tile on an executor and returns the cells it owns, in level-0 pixels. */
interface TileSegmenter extends Serializable {
    /**
     * @throws UnreadableInputException when the tile's pixels cannot be read: recorded for its image, not retried.
     *     Any other exception fails the task, which Spark retries.
     */
    List<CellRecord> segment(Tile tile) throws UnreadableInputException;
}
