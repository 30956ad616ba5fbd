package org.cellpilot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The outline of one 8-connected part of a mask: its outer ring and the rings of its holes. A ring is a flat
 * {@code x, y, x, y, …} list of full-image pixel coordinates, closed implicitly (the last vertex joins the first).
 *
 * <p>Rings run through the centres of the part's boundary pixels, as OpenCV's {@code findContours} traces them,
 * with only the corners of straight runs kept. A pixel belongs to the part when its centre lies inside or on the
 * outer ring and not strictly inside a hole ring; {@link Mask#polygons()} is exact under that rule. So a
 * one-pixel part has a one-vertex ring, and a one-pixel-wide line a ring that runs along it and back.
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
        if (ring.length < 2 || ring.length % 2 != 0) {
            throw new IllegalArgumentException("invalid " + what + " ring: " + ring.length + " coordinates, expected x, y pairs");
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
