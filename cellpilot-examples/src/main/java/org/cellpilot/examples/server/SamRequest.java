package org.cellpilot.examples.server;

import java.util.List;
import java.util.Map;
import org.cellpilot.Prompt;

/**
 * The fields of a samapi prompt request ({@code POST /sam/}), checked: what QuPath's SAM extension sends, with
 * absent and null fields alike and unknown keys ignored. Coordinates are checked against the image once it is known.
 */
final class SamRequest {
    final String b64img;
    final int[] bbox;
    final double[][] points;
    final int[] labels;
    final boolean multimask;

    private SamRequest(Map<String, Object> body) {
        // Any model type is answered with the loaded checkpoint; the field is only checked.
        optionalString(body, "type");
        this.b64img = requiredString(body, "b64img");
        this.bbox = body.get("bbox") == null ? null : integers(body.get("bbox"), "bbox");
        if (bbox != null && bbox.length != 4) {
            throw HttpError.badRequest("bbox must be [x1, y1, x2, y2], got " + bbox.length + " numbers");
        }
        this.points = body.get("point_coords") == null ? new double[0][] : pointList(body.get("point_coords"));
        this.labels = body.get("point_labels") == null ? new int[0] : integers(body.get("point_labels"), "point_labels");
        if (points.length != labels.length) {
            throw HttpError.badRequest("point_coords has " + points.length + " points but point_labels has " + labels.length + " labels");
        }
        for (int label : labels) {
            if (label != 0 && label != 1) {
                throw HttpError.badRequest("point_labels must be 0 (background) or 1 (foreground), got " + label);
            }
        }
        Object multi = body.get("multimask_output");
        if (multi != null && !(multi instanceof Boolean)) {
            throw HttpError.badRequest("multimask_output must be true or false, got " + multi);
        }
        this.multimask = Boolean.TRUE.equals(multi);
        if (body.get("b64mask") != null) {
            throw HttpError.badRequest("b64mask is not supported by this server (QuPath's SAM extension never sends it)");
        }
        if (bbox == null && points.length == 0) {
            throw HttpError.badRequest("the request has no prompt: give point_coords and point_labels, or bbox");
        }
    }

    static SamRequest parse(Map<String, Object> body) {
        return new SamRequest(body);
    }

    /**
     * The prompt in the pixels of a {@code width × height} image. The box is clipped to the image (the extension
     * sends a rectangle's bounds unclipped); points must lie inside it, since the extension drops the others.
     */
    Prompt prompt(int width, int height) {
        Prompt p = null;
        for (int i = 0; i < points.length; i++) {
            double x = points[i][0];
            double y = points[i][1];
            if (x < 0 || y < 0 || x > width || y > height) {
                throw HttpError.badRequest("point_coords[" + i + "] (" + x + ", " + y + ") lies outside the " + width + "x" + height + " image");
            }
            Prompt point = labels[i] == 1 ? Prompt.positive(x, y) : Prompt.negative(x, y);
            p = p == null ? point : p.and(point);
        }
        if (bbox != null) {
            int x0 = clamp(bbox[0], width);
            int y0 = clamp(bbox[1], height);
            int x1 = clamp(bbox[2], width);
            int y1 = clamp(bbox[3], height);
            if (x1 <= x0 || y1 <= y0) {
                throw HttpError.badRequest("bbox [" + bbox[0] + ", " + bbox[1] + ", " + bbox[2] + ", " + bbox[3] + "] has no area inside the "
                        + width + "x" + height + " image");
            }
            Prompt box = Prompt.box(x0, y0, x1, y1);
            p = p == null ? box : p.and(box);
        }
        return p;
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size, v));
    }

    static String requiredString(Map<String, Object> body, String key) {
        Object v = body.get(key);
        if (v == null) {
            throw HttpError.badRequest("missing field " + key);
        }
        if (!(v instanceof String)) {
            throw HttpError.badRequest(key + " must be a string");
        }
        return (String) v;
    }

    static void optionalString(Map<String, Object> body, String key) {
        if (body.get(key) != null) {
            requiredString(body, key);
        }
    }

    private static double[][] pointList(Object value) {
        if (!(value instanceof List)) {
            throw HttpError.badRequest("point_coords must be [[x, y], ...]");
        }
        List<?> list = (List<?>) value;
        double[][] out = new double[list.size()][];
        for (int i = 0; i < out.length; i++) {
            double[] xy = numbers(list.get(i), "point_coords[" + i + "]");
            if (xy.length != 2) {
                throw HttpError.badRequest("point_coords[" + i + "] must be [x, y], got " + xy.length + " numbers");
            }
            out[i] = xy;
        }
        return out;
    }

    private static int[] integers(Object value, String field) {
        double[] d = numbers(value, field);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i]) || Math.abs(d[i]) > 1 << 30) {
                throw HttpError.badRequest(field + "[" + i + "] must be an integer, got " + d[i]);
            }
            out[i] = (int) d[i];
        }
        return out;
    }

    /** A JSON array of finite numbers. */
    static double[] numbers(Object value, String field) {
        if (!(value instanceof List)) {
            throw HttpError.badRequest(field + " must be an array of numbers");
        }
        List<?> list = (List<?>) value;
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (!(v instanceof Number) || !Double.isFinite(((Number) v).doubleValue())) {
                throw HttpError.badRequest(field + "[" + i + "] must be a finite number, got " + v);
            }
            out[i] = ((Number) v).doubleValue();
        }
        return out;
    }
}
