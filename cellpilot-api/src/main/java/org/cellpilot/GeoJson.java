package org.cellpilot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.cellpilot.torch.checkpoint.Json;

/** The GeoJSON codec behind {@link Exports#writeGeoJson} and {@link Exports#readGeoJson}; the format is described there. */
final class GeoJson {
    private GeoJson() {}

    static String write(List<Mask> masks) {
        List<Object> features = new ArrayList<>(masks.size());
        for (Mask m : masks) {
            // An empty mask has no outline to show; COCO drops it too.
            if (!m.raster().isEmpty()) {
                features.add(feature(m));
            }
        }
        Map<String, Object> collection = new LinkedHashMap<>();
        collection.put("type", "FeatureCollection");
        collection.put("features", features);
        return Json.write(collection);
    }

    /** One Feature as a single line of JSON, for writers that stream a FeatureCollection feature by feature. */
    static String featureLine(Mask m) {
        return Json.write(feature(m));
    }

    private static Map<String, Object> feature(Mask m) {
        Map<String, Object> geometry = geometry(m.polygons());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("objectType", m.source() == Mask.Source.AUTOMATIC ? "detection" : "annotation");
        m.type().ifPresent(t -> {
            Map<String, Object> classification = new LinkedHashMap<>();
            classification.put("name", t.displayName());
            classification.put("color", new int[] {t.rgb() >> 16, (t.rgb() >> 8) & 0xff, t.rgb() & 0xff});
            properties.put("classification", classification);
        });
        Map<String, Object> measurements = new LinkedHashMap<>();
        measurements.put("Area px^2", m.area());
        putFinite(measurements, "Predicted IoU", m.predictedIou());
        putFinite(measurements, "Type probability", m.typeProbability());
        properties.put("measurements", measurements);
        properties.put("cellpilotId", m.id());
        properties.put("source", m.source().name());
        List<Object> prompts = new ArrayList<>();
        for (Prompt p : m.prompts()) {
            prompts.add(prompt(p));
        }
        properties.put("prompts", prompts);
        Map<String, Object> feature = new LinkedHashMap<>();
        feature.put("type", "Feature");
        // Derived, not stored: the same object with the same outline keeps its id across saves and reloads.
        feature.put("id", UUID.nameUUIDFromBytes(("cellpilot " + m.id() + " " + Json.write(geometry)).getBytes(StandardCharsets.UTF_8))
                .toString());
        feature.put("geometry", geometry);
        feature.put("properties", properties);
        return feature;
    }

    /** JSON has no NaN: an absent measurement reads back as NaN. */
    private static void putFinite(Map<String, Object> measurements, String name, double value) {
        if (Double.isFinite(value)) {
            measurements.put(name, value);
        }
    }

    /** The geometry object of one mask, as JSON text. */
    static String geometry(Mask m) {
        return Json.write(geometry(m.polygons()));
    }

    private static Map<String, Object> geometry(List<Polygon> polygons) {
        List<Object> coordinates = new ArrayList<>(polygons.size());
        for (Polygon p : polygons) {
            List<Object> rings = new ArrayList<>();
            rings.add(linearRing(p.exterior()));
            for (int[] hole : p.holes()) {
                rings.add(linearRing(hole));
            }
            coordinates.add(rings);
        }
        Map<String, Object> geometry = new LinkedHashMap<>();
        geometry.put("type", polygons.size() == 1 ? "Polygon" : "MultiPolygon");
        geometry.put("coordinates", polygons.size() == 1 ? coordinates.get(0) : coordinates);
        return geometry;
    }

    /** GeoJSON's closed ring: the vertices, then the first again. */
    private static List<int[]> linearRing(int[] ring) {
        List<int[]> positions = new ArrayList<>(ring.length / 2 + 1);
        for (int i = 0; i < ring.length; i += 2) {
            positions.add(new int[] {ring[i], ring[i + 1]});
        }
        positions.add(positions.get(0));
        return positions;
    }

    private static Map<String, Object> prompt(Prompt p) {
        List<Object> points = new ArrayList<>();
        for (Prompt.Point point : p.points()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("x", point.x);
            o.put("y", point.y);
            o.put("positive", point.positive);
            points.add(o);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("points", points);
        if (p.hasBox()) {
            o.put("box", p.box());
        }
        return o;
    }

    // ---- reading --------------------------------------------------------------------------------------------

    static List<Mask> read(String text) {
        Map<String, Object> root = object(Json.parse(text), "document");
        if (!"FeatureCollection".equals(root.get("type"))) {
            throw bad("document", "expected a FeatureCollection, found type " + describe(root.get("type")));
        }
        List<Object> features = array(root.get("features"), "features");
        List<Mask> masks = new ArrayList<>(features.size());
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < features.size(); i++) {
            Mask m = mask(features.get(i), i, "features[" + i + "]");
            if (!ids.add(m.id())) {
                throw bad("features[" + i + "].properties.cellpilotId", "duplicate id " + m.id());
            }
            masks.add(m);
        }
        return masks;
    }

    private static Mask mask(Object value, int index, String at) {
        Map<String, Object> feature = object(value, at);
        if (!"Feature".equals(feature.get("type"))) {
            throw bad(at + ".type", "expected \"Feature\", found " + describe(feature.get("type")));
        }
        String p = at + ".properties";
        Map<String, Object> properties = feature.get("properties") == null ? Map.of() : object(feature.get("properties"), p);
        Mask.Source source = source(properties, p);
        CellType type = properties.get("classification") == null ? null
                : cellType(object(properties.get("classification"), p + ".classification"), p + ".classification");
        Map<String, Object> measurements = properties.get("measurements") == null ? Map.of()
                : object(properties.get("measurements"), p + ".measurements");
        double iou = optionalNumber(measurements, "Predicted IoU", p + ".measurements");
        double typeProbability = optionalNumber(measurements, "Type probability", p + ".measurements");
        long id = properties.containsKey("cellpilotId") ? integer(properties.get("cellpilotId"), p + ".cellpilotId") : index + 1;
        List<Prompt> prompts = new ArrayList<>();
        if (properties.containsKey("prompts")) {
            List<Object> list = array(properties.get("prompts"), p + ".prompts");
            for (int k = 0; k < list.size(); k++) {
                prompts.add(prompt(object(list.get(k), p + ".prompts[" + k + "]"), p + ".prompts[" + k + "]"));
            }
        }
        MaskRaster raster = Outlines.fill(polygons(object(feature.get("geometry"), at + ".geometry"), at + ".geometry"));
        return new Mask(id, raster, iou, type, typeProbability, source, prompts);
    }

    /** CellPilot's own {@code source} when present, else QuPath's object type. */
    private static Mask.Source source(Map<String, Object> properties, String at) {
        String objectType = string(properties.get("objectType"), at + ".objectType");
        Mask.Source source;
        if (objectType.equals("detection")) {
            source = Mask.Source.AUTOMATIC;
        } else if (objectType.equals("annotation")) {
            source = Mask.Source.INTERACTIVE;
        } else {
            throw bad(at + ".objectType", "unknown objectType \"" + objectType + "\", expected \"detection\" or \"annotation\"");
        }
        if (!properties.containsKey("source")) {
            return source;
        }
        String name = string(properties.get("source"), at + ".source");
        for (Mask.Source s : Mask.Source.values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw bad(at + ".source", "unknown source \"" + name + "\", expected one of " + Arrays.toString(Mask.Source.values()));
    }

    private static CellType cellType(Map<String, Object> classification, String at) {
        String name = string(classification.get("name"), at + ".name");
        for (CellType t : CellType.values()) {
            if (t.displayName().equals(name)) {
                return t;
            }
        }
        List<String> known = new ArrayList<>();
        for (CellType t : CellType.values()) {
            known.add(t.displayName());
        }
        throw bad(at + ".name", "unknown class \"" + name + "\", expected one of " + known);
    }

    private static Prompt prompt(Map<String, Object> o, String at) {
        Prompt prompt = null;
        List<Object> points = o.containsKey("points") ? array(o.get("points"), at + ".points") : List.of();
        for (int k = 0; k < points.size(); k++) {
            String pa = at + ".points[" + k + "]";
            Map<String, Object> point = object(points.get(k), pa);
            double x = number(point.get("x"), pa + ".x");
            double y = number(point.get("y"), pa + ".y");
            if (!(point.get("positive") instanceof Boolean positive)) {
                throw bad(pa + ".positive", "expected true or false, found " + describe(point.get("positive")));
            }
            Prompt q = positive ? Prompt.positive(x, y) : Prompt.negative(x, y);
            prompt = prompt == null ? q : prompt.and(q);
        }
        if (o.get("box") != null) {
            List<Object> b = array(o.get("box"), at + ".box");
            if (b.size() != 4) {
                throw bad(at + ".box", "expected [x0, y0, x1, y1], found " + b.size() + " values");
            }
            double[] v = new double[4];
            for (int k = 0; k < 4; k++) {
                v[k] = number(b.get(k), at + ".box[" + k + "]");
            }
            Prompt box;
            try {
                box = Prompt.box(v[0], v[1], v[2], v[3]);
            } catch (IllegalArgumentException e) {
                throw bad(at + ".box", e.getMessage());
            }
            prompt = prompt == null ? box : prompt.and(box);
        }
        if (prompt == null) {
            throw bad(at, "a prompt needs points or a box");
        }
        return prompt;
    }

    private static List<Polygon> polygons(Map<String, Object> geometry, String at) {
        Object type = geometry.get("type");
        List<Object> coordinates = array(geometry.get("coordinates"), at + ".coordinates");
        if ("Polygon".equals(type)) {
            return List.of(polygon(coordinates, at + ".coordinates"));
        }
        if (!"MultiPolygon".equals(type)) {
            throw bad(at + ".type", "unsupported geometry type " + describe(type) + ", expected \"Polygon\" or \"MultiPolygon\"");
        }
        List<Polygon> polygons = new ArrayList<>(coordinates.size());
        for (int k = 0; k < coordinates.size(); k++) {
            String pa = at + ".coordinates[" + k + "]";
            polygons.add(polygon(array(coordinates.get(k), pa), pa));
        }
        return polygons;
    }

    private static Polygon polygon(List<Object> rings, String at) {
        if (rings.isEmpty()) {
            throw bad(at, "a polygon needs at least its exterior ring");
        }
        List<int[]> holes = new ArrayList<>();
        for (int k = 1; k < rings.size(); k++) {
            holes.add(ring(rings.get(k), at + "[" + k + "]"));
        }
        return new Polygon(ring(rings.get(0), at + "[0]"), holes);
    }

    /** A closed linear ring of [x, y] positions, as flat coordinates without the closing repeat. */
    private static int[] ring(Object value, String at) {
        List<Object> positions = array(value, at);
        if (positions.size() < 4) {
            throw bad(at, "a linear ring needs at least 4 positions, found " + positions.size());
        }
        int[] flat = new int[2 * positions.size()];
        for (int k = 0; k < positions.size(); k++) {
            String pa = at + "[" + k + "]";
            List<Object> position = array(positions.get(k), pa);
            if (position.size() != 2) {
                throw bad(pa, "expected [x, y], found " + position.size() + " values");
            }
            flat[2 * k] = coordinate(position.get(0), pa + "[0]");
            flat[2 * k + 1] = coordinate(position.get(1), pa + "[1]");
        }
        int last = flat.length - 2;
        if (flat[last] != flat[0] || flat[last + 1] != flat[1]) {
            throw bad(at, "ring is not closed: its last position must repeat its first");
        }
        return Arrays.copyOf(flat, last);
    }

    private static int coordinate(Object value, String at) {
        double v = number(value, at);
        if (!(v >= 0 && v < Integer.MAX_VALUE && v == Math.rint(v))) {
            throw bad(at, "bad coordinate " + value + ": CellPilot outlines run along pixel edges, at non-negative integer"
                    + " coordinates");
        }
        return (int) v;
    }

    private static double optionalNumber(Map<String, Object> o, String key, String at) {
        return o.containsKey(key) ? number(o.get(key), at + "[\"" + key + "\"]") : Double.NaN;
    }

    private static double number(Object value, String at) {
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw bad(at, "expected a finite number, found " + describe(value));
        }
        return n.doubleValue();
    }

    private static long integer(Object value, String at) {
        if (!(value instanceof Long l)) {
            throw bad(at, "expected an integer, found " + describe(value));
        }
        return l;
    }

    private static String string(Object value, String at) {
        if (!(value instanceof String s)) {
            throw bad(at, "expected a string, found " + describe(value));
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String at) {
        if (!(value instanceof Map)) {
            throw bad(at, "expected an object, found " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> array(Object value, String at) {
        if (!(value instanceof List)) {
            throw bad(at, "expected an array, found " + describe(value));
        }
        return (List<Object>) value;
    }

    private static String describe(Object value) {
        if (value instanceof String) {
            return "\"" + value + "\"";
        }
        return value instanceof Map ? "an object" : value instanceof List ? "an array" : String.valueOf(value);
    }

    private static IllegalArgumentException bad(String at, String problem) {
        return new IllegalArgumentException("GeoJSON " + at + ": " + problem);
    }
}
