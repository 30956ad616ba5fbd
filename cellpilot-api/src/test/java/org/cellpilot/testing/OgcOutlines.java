package org.cellpilot.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Checks outlines the way GIS consumers (JTS, and shapely, which runs the same GEOS rules) and QuPath see them:
 * GeoJSON geometry is read into JTS, must be OGC-valid, must have the mask's pixel count as its area, must be
 * counter-clockwise outside and clockwise in holes (RFC 7946), must have no collinear vertices, and must give back
 * the mask when JTS decides which pixel centres it contains.
 */
public final class OgcOutlines {
    private static final GeometryFactory FACTORY = new GeometryFactory();

    private OgcOutlines() {}

    /** Which pixels the mask has, in full-image coordinates. */
    public interface Pixels {
        boolean get(int x, int y);
    }

    /** A GeoJSON Polygon or MultiPolygon geometry, as parsed JSON, in JTS. */
    @SuppressWarnings("unchecked")
    public static Geometry fromGeoJson(Map<String, Object> geometry) {
        List<Object> coordinates = (List<Object>) geometry.get("coordinates");
        return switch ((String) geometry.get("type")) {
            case "Polygon" -> polygon(coordinates);
            case "MultiPolygon" -> FACTORY.createMultiPolygon(coordinates.stream().map(p -> polygon((List<Object>) p)).toArray(Polygon[]::new));
            default -> throw new AssertionError("not a polygon geometry: " + geometry.get("type"));
        };
    }

    @SuppressWarnings("unchecked")
    private static Polygon polygon(List<Object> rings) {
        LinearRing[] all = rings.stream().map(r -> FACTORY.createLinearRing(((List<Object>) r).stream().map(p -> {
            List<Number> xy = (List<Number>) p;
            assertEquals(2, xy.size(), "a position is [x, y]");
            return new Coordinate(xy.get(0).doubleValue(), xy.get(1).doubleValue());
        }).toArray(Coordinate[]::new))).toArray(LinearRing[]::new);
        LinearRing[] holes = new LinearRing[all.length - 1];
        System.arraycopy(all, 1, holes, 0, holes.length);
        return FACTORY.createPolygon(all[0], holes);
    }

    /**
     * Asserts that {@code g} is a valid outline of exactly the set pixels within {@code [x0, x1) × [y0, y1)} (a
     * window that must hold the whole mask): {@code area} of them.
     */
    public static void assertOutlines(Geometry g, Pixels pixels, long area, int x0, int y0, int x1, int y1) {
        TopologyValidationError error = new IsValidOp(g).getValidationError();
        if (error != null) {
            fail("invalid under the OGC rules: " + error + "\n" + g);
        }
        assertEquals(area, g.getArea(), 0, "area = pixel count");
        for (int i = 0; i < g.getNumGeometries(); i++) {
            Polygon p = (Polygon) g.getGeometryN(i);
            checkRing(p.getExteriorRing(), true);
            for (int k = 0; k < p.getNumInteriorRing(); k++) {
                checkRing(p.getInteriorRingN(k), false);
            }
        }
        IndexedPointInAreaLocator locator = new IndexedPointInAreaLocator(g);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int where = locator.locate(new Coordinate(x + 0.5, y + 0.5));
                assertNotEquals(Location.BOUNDARY, where, "no pixel centre lies on an edge");
                if ((where == Location.INTERIOR) != pixels.get(x, y)) {
                    fail("pixel (" + x + ", " + y + ") is " + (pixels.get(x, y) ? "set" : "unset") + " but its centre lies "
                            + (where == Location.INTERIOR ? "inside" : "outside") + " " + g);
                }
            }
        }
    }

    private static void checkRing(LinearRing ring, boolean exterior) {
        Coordinate[] c = ring.getCoordinates();
        assertEquals(exterior, Orientation.isCCW(c), (exterior ? "exterior" : "hole") + " orientation of " + ring);
        int n = c.length - 1;
        for (int i = 0; i < n; i++) {
            Coordinate a = c[(i + n - 1) % n];
            Coordinate b = c[i];
            Coordinate d = c[i + 1];
            assertTrue(b.x == Math.rint(b.x) && b.y == Math.rint(b.y), "vertex on a pixel corner: " + b);
            assertNotEquals(0.0, (b.x - a.x) * (d.y - b.y) - (b.y - a.y) * (d.x - b.x), "collinear vertex " + b + " in " + ring);
        }
    }
}
