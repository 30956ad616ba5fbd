package org.cellpilot.spark;

import java.util.Locale;
import java.util.TreeSet;

/**
 * The {@code geo} key-value metadata of a GeoParquet 1.1 file, accumulated over the rows written to it.
 * Coordinates are image pixels, not a geographic system: {@code crs} is JSON null, which the specification
 * reserves for an undefined coordinate system (leaving it out would mean longitude/latitude, OGC:CRS84).
 */
final class GeoMetadata {
    static final String KEY = "geo";
    static final String GEOMETRY_COLUMN = "geometry";
    /** WKB geometry type codes (ISO, 2D) and their GeoParquet names. */
    private static final int WKB_POLYGON = 3;
    private static final int WKB_MULTIPOLYGON = 6;

    private final TreeSet<String> types = new TreeSet<>();
    private int minX = Integer.MAX_VALUE;
    private int minY = Integer.MAX_VALUE;
    private int maxX = Integer.MIN_VALUE;
    private int maxY = Integer.MIN_VALUE;

    /** Records one row: its bounding box {x0, y0, x1, y1} and its geometry (WKB). */
    void add(int[] bbox, byte[] wkb) {
        minX = Math.min(minX, bbox[0]);
        minY = Math.min(minY, bbox[1]);
        maxX = Math.max(maxX, bbox[2]);
        maxY = Math.max(maxY, bbox[3]);
        types.add(typeName(wkb));
    }

    private static String typeName(byte[] wkb) {
        boolean littleEndian = wkb[0] == 1;
        int code = littleEndian
                ? (wkb[1] & 0xff) | (wkb[2] & 0xff) << 8 | (wkb[3] & 0xff) << 16 | (wkb[4] & 0xff) << 24
                : (wkb[4] & 0xff) | (wkb[3] & 0xff) << 8 | (wkb[2] & 0xff) << 16 | (wkb[1] & 0xff) << 24;
        switch (code) {
            case WKB_POLYGON:
                return "Polygon";
            case WKB_MULTIPOLYGON:
                return "MultiPolygon";
            default:
                throw new IllegalArgumentException("a cell geometry must be a Polygon or MultiPolygon, got WKB type " + code);
        }
    }

    String json() {
        StringBuilder types = new StringBuilder();
        for (String t : this.types) {
            types.append(types.length() == 0 ? "" : ",").append('"').append(t).append('"');
        }
        String bbox = this.types.isEmpty() ? "" : String.format(Locale.ROOT, ",\"bbox\":[%d,%d,%d,%d]", minX, minY, maxX, maxY);
        return "{\"version\":\"1.1.0\",\"primary_column\":\"" + GEOMETRY_COLUMN + "\",\"columns\":{\"" + GEOMETRY_COLUMN
                + "\":{\"encoding\":\"WKB\",\"geometry_types\":[" + types + "],\"crs\":null,\"edges\":\"planar\"" + bbox + "}}}";
    }
}
