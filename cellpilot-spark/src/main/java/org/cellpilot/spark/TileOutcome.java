package org.cellpilot.spark;

import java.io.Serializable;

/** What happened to one tile, sent back to the driver for the summary: its cell count and time, or its error. */
record TileOutcome(String image, int tile, long cells, double seconds, String error) implements Serializable {
}
