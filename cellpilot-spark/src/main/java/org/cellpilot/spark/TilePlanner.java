package org.cellpilot.spark;

import java.io.Serializable;

/** Plans one image on an executor: opens it, reads only what planning needs, and lists its tiles. */
interface TilePlanner extends Serializable {
    /** The plan of the image at {@code path}; any exception means the image is unreadable. */
    ImagePlan plan(String image, String path) throws Exception;
}
