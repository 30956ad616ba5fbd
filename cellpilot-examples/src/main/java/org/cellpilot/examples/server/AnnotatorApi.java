package org.cellpilot.examples.server;

import com.sun.net.httpserver.HttpExchange;
import java.awt.Rectangle;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cellpilot.CellPilot;
import org.cellpilot.CellType;
import org.cellpilot.Exports;
import org.cellpilot.Mask;
import org.cellpilot.Prompt;
import org.cellpilot.Session;

/**
 * The annotator page's JSON API. An annotation session is a {@link Session} on one image (or, for a large one,
 * the field of view it was opened on); every change answers with the session's whole state, so the page only
 * draws what the server holds. Exports cover the whole image at full resolution.
 */
final class AnnotatorApi implements AutoCloseable {
    private final CellPilot cp;
    private final ServerOptions options;
    private final ImageStore images;
    private final SessionPool<Annotation> sessions;

    AnnotatorApi(CellPilot cp, ServerOptions options) {
        this.cp = cp;
        this.options = options;
        this.images = new ImageStore(options.images, options.maxPixels);
        this.sessions = new SessionPool<>(options.maxSessions);
    }

    void handle(HttpExchange ex, String method, String path) throws IOException {
        Map<String, String> query = Exchanges.query(ex);
        switch (path) {
            case "/api/info":
                Routes.require(method, "GET");
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("sam", cp.hasSam());
                info.put("model", options.sam == null ? null : options.sam.getFileName().toString());
                info.put("folder", options.images != null);
                Exchanges.json(ex, 200, info);
                return;
            case "/api/images":
                if ("POST".equals(method)) {
                    Exchanges.json(ex, 200, describe(images.upload(query.get("name"), Exchanges.body(ex, options.maxBodyBytes))));
                } else {
                    Routes.require(method, "GET");
                    Exchanges.json(ex, 200, Map.of("images", images.list()));
                }
                return;
            case "/api/images/tile":
                Routes.require(method, "GET");
                ImageStore.Image image = images.get(query.get("image"));
                ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
                Exchanges.send(ex, 200, "image/png", Tiles.png(image.pixels(), integer(query, "level"), integer(query, "col"), integer(query, "row")));
                return;
            case "/api/sessions":
                Routes.require(method, "POST");
                Exchanges.json(ex, 200, open(Exchanges.jsonObject(ex, options.maxBodyBytes)));
                return;
            default:
                sessionCall(ex, method, path);
        }
    }

    private Map<String, Object> describe(ImageStore.Image image) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", image.id());
        out.put("name", image.name());
        out.put("width", image.pixels().width());
        out.put("height", image.pixels().height());
        out.put("levels", Tiles.levels(image.pixels().width(), image.pixels().height()));
        out.put("tile", Tiles.SIZE);
        return out;
    }

    /**
     * {@code {image, region?: [x, y, w, h]}}: a session on the image, or on the region (clipped to the image) for an
     * image over the whole-image size.
     */
    private Map<String, Object> open(Map<String, Object> body) throws IOException {
        ImageStore.Image image = images.get(SamRequest.requiredString(body, "image"));
        int w = image.pixels().width();
        int h = image.pixels().height();
        Rectangle region = new Rectangle(0, 0, w, h);
        if ((long) w * h > options.wholeImagePixels) {
            Rectangle view;
            if (body.get("region") != null) {
                double[] r = SamRequest.numbers(body.get("region"), "region");
                if (r.length != 4) {
                    throw HttpError.badRequest("region must be [x, y, width, height]");
                }
                view = new Rectangle((int) r[0], (int) r[1], (int) Math.ceil(r[2]), (int) Math.ceil(r[3]));
            } else {
                // No view yet: a square of the whole-image size at the centre.
                int side = (int) Math.sqrt(options.wholeImagePixels);
                view = new Rectangle((w - side) / 2, (h - side) / 2, side, side);
            }
            region = view.intersection(region);
            if (region.isEmpty()) {
                throw HttpError.badRequest("region lies outside the " + w + "x" + h + " image");
            }
        }
        String id = UUID.randomUUID().toString();
        Rectangle area = region;
        SessionPool.Entry<Annotation> e = sessions.entry(id, () -> new Annotation(image, area), a -> () -> cp.open(a.image.pixels(), a.region));
        Map<String, Object> out = describe(image);
        out.put("image", image.id());
        out.put("id", id);
        out.put("region", new int[] {region.x, region.y, region.width, region.height});
        out.putAll(state(e, e.session()));
        return out;
    }

    /** /api/sessions/ID/ACTION. */
    private void sessionCall(HttpExchange ex, String method, String path) throws IOException {
        String[] parts = path.split("/");
        if (parts.length < 4 || parts.length > 5 || !"sessions".equals(parts[2])) {
            throw HttpError.notFound("no API endpoint " + path);
        }
        SessionPool.Entry<Annotation> e = sessions.existing(parts[3]);
        String action = parts.length == 5 ? parts[4] : "state";
        if ("progress".equals(action)) {
            // Read beside a running automatic call, so it must not wait for the session.
            Routes.require(method, "GET");
            Exchanges.json(ex, 200, e.attachment.progress());
            return;
        }
        if ("export".equals(action)) {
            Routes.require(method, "GET");
            export(ex, e, Exchanges.query(ex).getOrDefault("format", "geojson"));
            return;
        }
        Session s = e.session();
        if ("state".equals(action)) {
            Routes.require(method, "GET");
        } else if ("encode".equals(action)) {
            Routes.require(method, "POST");
            s.encode();
        } else if ("import".equals(action)) {
            // A GeoJSON file saved earlier: its masks come back, ready to refine.
            Routes.require(method, "POST");
            s.addAll(Exports.readGeoJson(new StringReader(new String(Exchanges.body(ex, options.maxBodyBytes), StandardCharsets.UTF_8))));
        } else {
            Routes.require(method, "POST");
            Map<String, Object> body = Exchanges.jsonObject(ex, options.maxBodyBytes);
            change(e.attachment, s, action, body);
        }
        Exchanges.json(ex, 200, state(e, s));
    }

    private void change(Annotation a, Session s, String action, Map<String, Object> body) {
        switch (action) {
            case "prompt":
                Prompt p = prompt(body);
                Object target = body.get("mask");
                a.selected = target == null ? s.add(p).id() : s.refine(maskId(target), p).id();
                return;
            case "remove":
                s.remove(maskId(body.get("mask")));
                a.selected = -1;
                return;
            case "undo":
                s.undo();
                return;
            case "redo":
                s.redo();
                return;
            case "automatic":
                a.startProgress();
                try {
                    s.segmentAutomatically(a::progress);
                } finally {
                    a.endProgress();
                }
                return;
            default:
                throw HttpError.notFound("no session action " + action);
        }
    }

    /** {@code {points: [[x, y, 1|0], …], box: [x0, y0, x1, y1]}} in full-image pixels. */
    private static Prompt prompt(Map<String, Object> body) {
        Prompt p = null;
        if (body.get("points") instanceof List) {
            List<?> points = (List<?>) body.get("points");
            for (int i = 0; i < points.size(); i++) {
                double[] v = SamRequest.numbers(points.get(i), "points[" + i + "]");
                if (v.length != 3) {
                    throw HttpError.badRequest("points[" + i + "] must be [x, y, 1 or 0]");
                }
                Prompt point = v[2] != 0 ? Prompt.positive(v[0], v[1]) : Prompt.negative(v[0], v[1]);
                p = p == null ? point : p.and(point);
            }
        }
        if (body.get("box") != null) {
            double[] b = SamRequest.numbers(body.get("box"), "box");
            if (b.length != 4) {
                throw HttpError.badRequest("box must be [x0, y0, x1, y1]");
            }
            Prompt box = Prompt.box(b[0], b[1], b[2], b[3]);
            p = p == null ? box : p.and(box);
        }
        if (p == null) {
            throw HttpError.badRequest("a prompt needs points or a box");
        }
        return p;
    }

    private static long maskId(Object value) {
        if (!(value instanceof Long)) {
            throw HttpError.badRequest("mask must be a mask id, got " + value);
        }
        return (Long) value;
    }

    private static int integer(Map<String, String> query, String key) {
        try {
            return Integer.parseInt(query.getOrDefault(key, ""));
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(key + " must be an integer, got '" + query.get(key) + "'");
        }
    }

    private Map<String, Object> state(SessionPool.Entry<Annotation> e, Session s) {
        List<Object> masks = new ArrayList<>();
        Annotation a = e.attachment;
        boolean selectedExists = false;
        for (Mask m : s.masks()) {
            selectedExists |= m.id() == a.selected;
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", m.id());
            o.put("source", m.source().name().toLowerCase(java.util.Locale.ROOT));
            o.put("type", m.type().map(CellType::displayName).orElse(null));
            o.put("color", String.format("#%06x", m.type().map(CellType::rgb).orElse(m.source() == Mask.Source.AUTOMATIC ? 0x39ff14 : 0x00e5ff)));
            o.put("area", m.area());
            o.put("iou", Double.isFinite(m.predictedIou()) ? m.predictedIou() : null);
            o.put("geometry", a.geometry(m));
            masks.add(o);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("masks", masks);
        out.put("selected", selectedExists ? a.selected : null);
        return out;
    }

    private void export(HttpExchange ex, SessionPool.Entry<Annotation> e, String format) throws IOException {
        List<Mask> masks = e.session().masks();
        ImageStore.Image image = e.attachment.image;
        int w = image.pixels().width();
        int h = image.pixels().height();
        String base = image.name().replaceFirst("\\.[^.]*$", "");
        byte[] bytes;
        String type;
        String file;
        switch (format) {
            case "geojson": {
                StringWriter out = new StringWriter();
                Exports.writeGeoJson(masks, out);
                bytes = out.toString().getBytes(StandardCharsets.UTF_8);
                type = "application/geo+json";
                file = base + ".geojson";
                break;
            }
            case "coco": {
                StringWriter out = new StringWriter();
                Exports.writeCoco(masks, image.name(), w, h, out);
                bytes = out.toString().getBytes(StandardCharsets.UTF_8);
                type = Exchanges.JSON;
                file = base + "-coco.json";
                break;
            }
            case "labels": {
                boolean tiff = masks.size() > 0xffff;
                Path tmp = Files.createTempFile("cellpilot-labels", tiff ? ".tif" : ".png");
                try {
                    Exports.writeLabelImage(masks, w, h, tmp);
                    bytes = Files.readAllBytes(tmp);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                type = tiff ? "image/tiff" : "image/png";
                file = base + "-labels" + (tiff ? ".tif" : ".png");
                break;
            }
            default:
                throw HttpError.badRequest("unknown export format " + format + ": use geojson, coco or labels");
        }
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + file.replace("\"", "") + "\"");
        Exchanges.send(ex, 200, type, bytes);
    }

    @Override
    public void close() {
        sessions.close();
    }
}
