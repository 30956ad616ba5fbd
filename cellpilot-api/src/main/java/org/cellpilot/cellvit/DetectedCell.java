package org.cellpilot.cellvit;

import org.cellpilot.imaging.BoundingBox;

/**
 * One nucleus found by {@link HoverPostProcess}, in the coordinates of the map it came from.
 *
 * @param id          its label in the instance map
 * @param bbox        rows and columns it covers, maxima exclusive (CellViT's {@code [[rmin, cmin], [rmax, cmax]]})
 * @param centroidX   column of its centre of mass
 * @param centroidY   row of its centre of mass
 * @param contour     its outer border as {@code [x, y]} vertices (OpenCV's simple chain approximation)
 * @param type        the nucleus class id, 0 being background (PanNuke models: {@link org.cellpilot.CellType#fromCellVitIndex})
 * @param typeProbability the fraction of its pixels voting for {@code type}; not a softmax probability
 */
public record DetectedCell(
        int id, BoundingBox bbox, double centroidX, double centroidY, int[][] contour, int type, double typeProbability) {}
