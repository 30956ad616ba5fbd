package org.cellpilot.sam;

import java.util.Arrays;
import org.cellpilot.torch.Tensor;

/**
 * One prompt in {@code SamPredictor.predict}'s terms, in original-image pixels: points with labels
 * (1 positive, 0 negative), an optional box {x0, y0, x1, y1}, and optional low-res mask logits
 * {@code [1, 4S, 4S]} from an earlier prediction. The tensor is borrowed, not owned.
 */
public final class SamPrompt {
    final double[][] points;
    final int[] labels;
    final double[] box;
    final Tensor maskInput;

    public SamPrompt(double[][] points, int[] labels, double[] box, Tensor maskInput) {
        this.points = points == null ? new double[0][] : points;
        this.labels = labels == null ? new int[0] : labels;
        this.box = box;
        this.maskInput = maskInput;
        if (this.points.length != this.labels.length) {
            throw new IllegalArgumentException(this.points.length + " points but " + this.labels.length + " labels");
        }
        if (this.points.length == 0 && box == null && maskInput == null) {
            throw new IllegalArgumentException("a prompt needs at least one point, a box or a mask");
        }
        for (int i = 0; i < this.points.length; i++) {
            if (this.points[i] == null || this.points[i].length != 2) {
                throw new IllegalArgumentException("point " + i + " must be {x, y}");
            }
            requireFinite("point " + i, this.points[i][0], this.points[i][1]);
            if (this.labels[i] != 0 && this.labels[i] != 1) {
                throw new IllegalArgumentException("label of point " + i + " is " + this.labels[i] + "; use 1 (positive) or 0 (negative)");
            }
        }
        if (box != null) {
            if (box.length != 4) {
                throw new IllegalArgumentException("a box is {x0, y0, x1, y1}, got " + box.length + " values");
            }
            requireFinite("box corner (x0, y0)", box[0], box[1]);
            requireFinite("box corner (x1, y1)", box[2], box[3]);
            if (!(box[2] > box[0]) || !(box[3] > box[1])) {
                throw new IllegalArgumentException("invalid box " + Arrays.toString(box) + ": needs x1 > x0 and y1 > y0");
            }
        }
    }

    public static SamPrompt box(double x0, double y0, double x1, double y1) {
        return new SamPrompt(null, null, new double[] {x0, y0, x1, y1}, null);
    }

    public int pointCount() {
        return points.length;
    }

    public boolean hasBox() {
        return box != null;
    }

    public boolean hasMask() {
        return maskInput != null;
    }

    /** Coordinates must be finite and lie in 0 ≤ x ≤ width, 0 ≤ y ≤ height (inclusive: boxes end at W). */
    public void checkInside(int width, int height) {
        for (int i = 0; i < points.length; i++) {
            checkCoordinate("point " + i, points[i][0], points[i][1], width, height);
        }
        if (box != null) {
            checkCoordinate("box corner (x0, y0)", box[0], box[1], width, height);
            checkCoordinate("box corner (x1, y1)", box[2], box[3], width, height);
        }
    }

    private static void requireFinite(String what, double x, double y) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("invalid " + what + " (" + x + ", " + y + "): coordinates must be finite");
        }
    }

    private static void checkCoordinate(String what, double x, double y, int width, int height) {
        if (x < 0 || x > width || y < 0 || y > height) {
            throw new IllegalArgumentException("invalid " + what + " (" + x + ", " + y + "): outside the image 0.." + width
                    + " x 0.." + height);
        }
    }
}
