package org.cellpilot.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What the planner found out about one image, without its pixels: its size, its tissue area and the tiles to
 * segment, or why it could not be planned.
 *
 * @param tissueArea level-0 pixels that the tissue mask keeps
 * @param error why the image could not be opened, or null
 */
record ImagePlan(String image, String path, long width, long height, long tissueArea, List<Tile> tiles,
                 double seconds, String error) implements Serializable {
    static ImagePlan failed(String image, String path, double seconds, Exception e) {
        return new ImagePlan(image, path, 0, 0, 0, List.of(), seconds, Faults.describe(e));
    }
}
