package org.cellpilot.spark;

import java.util.List;
import org.cellpilot.CellType;
import org.cellpilot.Mask;
import org.cellpilot.MaskRaster;
import org.cellpilot.Polygon;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.io.ByteOrderValues;
import org.locationtech.jts.io.WKBWriter;

/** Turns a {@link Mask} into a {@link CellRecord}: measurements from its raster, geometry from its polygons. */
final class Cells {
    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    private Cells() {
    }

    /** The record of {@code mask}, whose pixels and id are those the whole-slide run gives (level 0). */
    static CellRecord of(String image, Mask mask) {
        MaskRaster raster = mask.raster();
        double[] c = raster.centroid();
        CellType type = mask.type().orElse(null);
        return new CellRecord(image, mask.id(), c[0], c[1], raster.area(), raster.bounds(),
                type == null ? null : type.ordinal() + 1, type == null ? null : type.displayName(),
                mask.typeProbability(), mask.predictedIou(), wkb(mask.polygons()));
    }

    /** A Polygon for a one-part mask, a MultiPolygon otherwise, as ISO WKB. */
    static byte[] wkb(List<Polygon> polygons) {
        org.locationtech.jts.geom.Polygon[] parts = new org.locationtech.jts.geom.Polygon[polygons.size()];
        for (int i = 0; i < parts.length; i++) {
            Polygon p = polygons.get(i);
            List<int[]> holes = p.holes();
            LinearRing[] holeRings = new LinearRing[holes.size()];
            for (int h = 0; h < holeRings.length; h++) {
                holeRings[h] = ring(holes.get(h));
            }
            parts[i] = GEOMETRY.createPolygon(ring(p.exterior()), holeRings);
        }
        Geometry g = parts.length == 1 ? parts[0] : GEOMETRY.createMultiPolygon(parts);
        return new WKBWriter(2, ByteOrderValues.LITTLE_ENDIAN).write(g);
    }

    /** A ring of pixel corners, closed (the outline's rings close implicitly; WKB repeats the first vertex). */
    private static LinearRing ring(int[] xy) {
        int n = xy.length / 2;
        Coordinate[] c = new Coordinate[n + 1];
        for (int i = 0; i < n; i++) {
            c[i] = new Coordinate(xy[2 * i], xy[2 * i + 1]);
        }
        c[n] = c[0];
        return GEOMETRY.createLinearRing(c);
    }
}
