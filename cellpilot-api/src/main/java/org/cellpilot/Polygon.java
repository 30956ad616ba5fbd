package org.cellpilot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The outline of one 4-connected part of a mask: its outer ring and the rings of its holes. A ring is a flat
 * {@code x, y, x, y, …} list of full-image coordinates, closed implicitly (the last vertex joins the first).
 *
 * <p>Pixel (x, y) is the unit square [x, x+1) × [y, y+1), as in QuPath and GeoJSON viewers, and rings run along
 * the edges of the part's pixel squares, so vertices lie on integer pixel corners, only where the ring turns. The
 * polygon's area is the part's pixel count, and a pixel belongs to the part exactly when its centre
 * (x + ½, y + ½) lies inside the polygon. The exterior is counter-clockwise and holes are clockwise in the
 * coordinates as written (positive and negative shoelace area: RFC 7946's right-hand rule). Every ring is simple;
 * a hole may touch the exterior or another hole at one corner, where pixels of the part touch diagonally, as the
 * OGC rules allow. Pixels that touch only diagonally belong to different parts, and so different polygons.
 *
 * <p>Immutable: the accessors return copies.
 */
public record Polygon(int[] exterior, List<int[]> holes) {
    public Polygon {
        exterior = checkedRing(exterior, "exterior");
        List<int[]> copies = new ArrayList<>(holes.size());
        for (int[] hole : holes) {
            copies.add(checkedRing(hole, "hole"));
        }
        holes = List.copyOf(copies);
    }

    private static int[] checkedRing(int[] ring, String what) {
        if (ring.length < 6 || ring.length % 2 != 0) {
            throw new IllegalArgumentException("invalid " + what + " ring: " + ring.length + " coordinates, expected x, y pairs of"
                    + " at least 3 vertices");
        }
        return ring.clone();
    }

    @Override
    public int[] exterior() {
        return exterior.clone();
    }

    @Override
    public List<int[]> holes() {
        List<int[]> copies = new ArrayList<>(holes.size());
        for (int[] hole : holes) {
            copies.add(hole.clone());
        }
        return copies;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Polygon p) || !Arrays.equals(exterior, p.exterior) || holes.size() != p.holes.size()) {
            return false;
        }
        for (int i = 0; i < holes.size(); i++) {
            if (!Arrays.equals(holes.get(i), p.holes.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(exterior);
        for (int[] hole : holes) {
            h = 31 * h + Arrays.hashCode(hole);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Polygon").append(Arrays.toString(exterior));
        for (int[] hole : holes) {
            sb.append(" hole").append(Arrays.toString(hole));
        }
        return sb.toString();
    }
}
