package org.cellpilot.examples.server;

import org.cellpilot.Exports;
import org.cellpilot.Mask;
import org.cellpilot.torch.checkpoint.Json;

/** A mask's GeoJSON geometry as a JSON value, for replies built as maps: the exporter's pixel-edge outline. */
final class MaskGeometry {
    private MaskGeometry() {
    }

    static Object of(Mask mask) {
        return Json.parse(Exports.geoJsonGeometry(mask));
    }
}
