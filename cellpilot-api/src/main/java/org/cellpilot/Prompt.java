package org.cellpilot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a user clicked: positive and negative points and at most one box, in full-image pixel coordinates.
 * Immutable; combine prompts with {@link #and}. Coordinates must be finite; a box needs x1 > x0 and y1 > y0.
 * Whether they lie inside the image is checked when the prompt is used.
 */
public final class Prompt {
    /** One clicked point; {@code positive} means "part of the object". */
    public static final class Point {
        public final double x;
        public final double y;
        public final boolean positive;

        Point(double x, double y, boolean positive) {
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new IllegalArgumentException("invalid point (" + x + ", " + y + "): coordinates must be finite");
            }
            this.x = x;
            this.y = y;
            this.positive = positive;
        }

        @Override
        public String toString() {
            return (positive ? "+" : "-") + "(" + x + ", " + y + ")";
        }
    }

    private final List<Point> points;
    private final double[] box;

    private Prompt(List<Point> points, double[] box) {
        this.points = Collections.unmodifiableList(points);
        this.box = box;
    }

    public static Prompt positive(double x, double y) {
        return new Prompt(List.of(new Point(x, y, true)), null);
    }

    public static Prompt negative(double x, double y) {
        return new Prompt(List.of(new Point(x, y, false)), null);
    }

    public static Prompt box(double x0, double y0, double x1, double y1) {
        for (double v : new double[] {x0, y0, x1, y1}) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("invalid box (" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + "): coordinates must be finite");
            }
        }
        if (!(x1 > x0) || !(y1 > y0)) {
            throw new IllegalArgumentException("invalid box (" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + "): needs x1 > x0 and y1 > y0");
        }
        return new Prompt(List.of(), new double[] {x0, y0, x1, y1});
    }

    /** Both prompts together; a box in {@code other} replaces this one's, since SAM takes one box. */
    public Prompt and(Prompt other) {
        List<Point> all = new ArrayList<>(points);
        all.addAll(other.points);
        return new Prompt(all, other.box != null ? other.box : box);
    }

    public List<Point> points() {
        return points;
    }

    /** {x0, y0, x1, y1}, or null. */
    public double[] box() {
        return box == null ? null : box.clone();
    }

    public boolean hasBox() {
        return box != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prompt && ((Prompt) o).points.toString().equals(points.toString())
                && java.util.Arrays.equals(((Prompt) o).box, box);
    }

    @Override
    public int hashCode() {
        return Objects.hash(points.toString(), java.util.Arrays.hashCode(box));
    }

    @Override
    public String toString() {
        return "Prompt" + points + (box == null ? "" : " box" + java.util.Arrays.toString(box));
    }
}
