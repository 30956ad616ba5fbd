package org.cellpilot.spark;

import java.io.Serializable;

/**
 * One cell as a row of the GeoParquet output, in level-0 pixels of its image. {@code image} is the partition key
 * (the folder {@code image=<name>}), not a column of the part files. {@code geometry} is WKB.
 *
 * @param bbox {x0, y0, x1, y1}, x1 and y1 exclusive
 * @param type the CellViT type index (1-based), or null when the detector does not type cells
 */
record CellRecord(String image, long id, double centroidX, double centroidY, long area, int[] bbox,
                  Integer type, String typeName, double typeProbability, double quality, byte[] geometry)
        implements Serializable {
}
