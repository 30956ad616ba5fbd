package org.cellpilot.detect;

import org.cellpilot.CellType;
import org.cellpilot.MaskRaster;

/**
 * A nucleus found by a detector: its box {x0, y0, x1, y1} (x1, y1 exclusive) in the pixels of the image it
 * was given, an optional type with its probability, and its own instance mask, used when no SAM is loaded.
 */
public record Nucleus(int[] box, CellType type, double typeProbability, MaskRaster raster) {
}
