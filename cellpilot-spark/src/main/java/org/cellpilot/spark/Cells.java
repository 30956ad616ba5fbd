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

    /**
     * The record of {@code mask}, whose coordinates are those of a tile read at (offsetX, offsetY) of level 0.
     * The centroid is the mean of the pixel centres (x + 0.5, y + 0.5), the centre of mass of the mask's area.
     */
    static CellRecord of(String image, long id, Mask mask, int offsetX, int offsetY) {
        MaskRaster raster = mask.raster();
        int[] b = raster.bounds();
        double[] c = centroid(raster);
        CellType type = mask.type().orElse(null);
        return new CellRecord(image, id, c[0] + offsetX, c[1] + offsetY, raster.area(),
                new int[] {b[0] + offsetX, b[1] + offsetY, b[2] + offsetX, b[3] + offsetY},
                type == null ? null : type.ordinal() + 1, type == null ? null : type.displayName(),
                mask.typeProbability(), mask.predictedIou(), wkb(mask.polygons(), offsetX, offsetY));
    }

    private static double[] centroid(MaskRaster raster) {
        int[] b = raster.bounds();
        int width = b[2] - b[0];
        boolean[] pixels = raster.toArray();
        double sx = 0;
        double sy = 0;
        long n = 0;
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i]) {
                sx += i % width;
                sy += i / width;
                n++;
            }
        }
        return new double[] {b[0] + sx / n + 0.5, b[1] + sy / n + 0.5};
    }

    /** A Polygon for a one-part mask, a MultiPolygon otherwise, as ISO WKB. */
    static byte[] wkb(List<Polygon> polygons, int offsetX, int offsetY) {
        org.locationtech.jts.geom.Polygon[] parts = new org.locationtech.jts.geom.Polygon[polygons.size()];
        for (int i = 0; i < parts.length; i++) {
            Polygon p = polygons.get(i);
            List<int[]> holes = p.holes();
            LinearRing[] holeRings = new LinearRing[holes.size()];
            for (int h = 0; h < holeRings.length; h++) {
                holeRings[h] = ring(holes.get(h), offsetX, offsetY);
            }
            parts[i] = GEOMETRY.createPolygon(ring(p.exterior(), offsetX, offsetY), holeRings);
        }
        Geometry g = parts.length == 1 ? parts[0] : GEOMETRY.createMultiPolygon(parts);
        return new WKBWriter(2, ByteOrderValues.LITTLE_ENDIAN).write(g);
    }

    private static LinearRing ring(int[] xy, int offsetX, int offsetY) {
        int n = xy.length / 2;
        Coordinate[] c = new Coordinate[n + 1];
        for (int i = 0; i < n; i++) {
            c[i] = new Coordinate(xy[2 * i] + offsetX, xy[2 * i + 1] + offsetY);
        }
        c[n] = c[0];
        return GEOMETRY.createLinearRing(c);
    }
}
