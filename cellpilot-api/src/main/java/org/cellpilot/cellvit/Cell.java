package org.cellpilot.cellvit;

import org.cellpilot.CellType;
import org.cellpilot.MaskRaster;
import org.cellpilot.imaging.BoundingBox;

/**
 * One nucleus CellViT found in an image, in that image's pixels, after the tiles were merged.
 *
 * @param id              1, 2, … in the order of the result, so that it can serve as a label
 * @param bbox            rows and columns it covers, maxima exclusive
 * @param centroidX       column of its centre of mass
 * @param centroidY       row of its centre of mass
 * @param contour         its outer border as {@code [x, y]} vertices (OpenCV's simple chain approximation)
 * @param type            its majority nucleus type
 * @param typeProbability the fraction of its pixels voting for {@code type}; not a softmax probability
 * @param tissue          what the tissue head said about the tile the cell was taken from
 * @param mask            its pixels
 */
public record Cell(int id, BoundingBox bbox, double centroidX, double centroidY, int[][] contour, CellType type,
        double typeProbability, TissueType tissue, MaskRaster mask) {
}
