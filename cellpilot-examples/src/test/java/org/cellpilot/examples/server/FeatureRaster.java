package org.cellpilot.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Rasterises a GeoJSON Polygon or MultiPolygon the way QuPath reads it: pixel (x, y) is the square
 * [x, x+1) × [y, y+1), inside when its centre (x + ½, y + ½) is inside the rings (even-odd, so holes are out).
 * It also checks GeoJSON's ring rules: closed, at least four positions.
 */
final class FeatureRaster {
    private FeatureRaster() {
    }

    @SuppressWarnings("unchecked")
    static boolean[] rasterise(Object geometry, int width, int height) {
        Map<String, Object> g = (Map<String, Object>) geometry;
        List<Object> polygons = "Polygon".equals(g.get("type")) ? List.of(g.get("coordinates"))
                : "MultiPolygon".equals(g.get("type")) ? (List<Object>) g.get("coordinates") : null;
        assertTrue(polygons != null, "geometry type " + g.get("type"));
        List<double[][]> rings = new ArrayList<>();
        for (Object polygon : polygons) {
            for (Object ring : (List<Object>) polygon) {
                List<Object> positions = (List<Object>) ring;
                assertTrue(positions.size() >= 4, "a ring has " + positions.size() + " positions, GeoJSON needs 4");
                double[][] xy = new double[positions.size()][];
                for (int i = 0; i < xy.length; i++) {
                    List<Object> p = (List<Object>) positions.get(i);
                    xy[i] = new double[] {((Number) p.get(0)).doubleValue(), ((Number) p.get(1)).doubleValue()};
                }
                assertTrue(Arrays.equals(xy[0], xy[xy.length - 1]), "ring not closed");
                rings.add(xy);
            }
        }
        boolean[] out = new boolean[width * height];
        for (int y = 0; y < height; y++) {
            double cy = y + 0.5;
            List<Double> crossings = new ArrayList<>();
            for (double[][] ring : rings) {
                for (int i = 0; i + 1 < ring.length; i++) {
                    double[] a = ring[i];
                    double[] b = ring[i + 1];
                    if ((a[1] > cy) != (b[1] > cy)) {
                        crossings.add(a[0] + (cy - a[1]) * (b[0] - a[0]) / (b[1] - a[1]));
                    }
                }
            }
            crossings.sort(null);
            assertEquals(0, crossings.size() % 2, "an odd number of crossings on row " + y);
            for (int k = 0; k < crossings.size(); k += 2) {
                for (int x = 0; x < width; x++) {
                    double cx = x + 0.5;
                    if (cx > crossings.get(k) && cx < crossings.get(k + 1)) {
                        out[y * width + x] ^= true;
                    }
                }
            }
        }
        return out;
    }
}
