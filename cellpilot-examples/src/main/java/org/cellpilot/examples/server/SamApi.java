package org.cellpilot.examples.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.cellpilot.CellPilot;
import org.cellpilot.CellType;
import org.cellpilot.Mask;
import org.cellpilot.Session;

/**
 * The samapi protocol that QuPath's SAM extension speaks (see the README's QuPath section): prompts, automatic
 * masks, the weights list, version and progress. Replies are bare arrays of GeoJSON Features in the pixels of the
 * image the client sent. One session per distinct image (keyed by the hash of its bytes), so the prompts of a
 * batch, which all re-send the same PNG, share one encode.
 */
final class SamApi {
    /** Every model type the extension offers; each is answered with the loaded checkpoint. */
    private static final List<String> TYPES = List.of("vit_h", "vit_l", "vit_b", "vit_t", "sam2_l", "sam2_bp", "sam2_s", "sam2_t");
    static final String VERSION = "0.7.1 (cellpilot serve, CellPilot for Java 0.1.0)";

    private final CellPilot cp;
    private final ServerOptions options;
    private final SessionPool<byte[]> sessions;

    SamApi(CellPilot cp, ServerOptions options) {
        this.cp = cp;
        this.options = options;
        this.sessions = new SessionPool<>(options.maxSessions);
    }

    SessionPool<byte[]> sessions() {
        return sessions;
    }

    /** Handles {@code path} (without its trailing slash) under /sam; false when it is not a samapi path. */
    boolean handle(HttpExchange ex, String method, String path) throws IOException {
        switch (path) {
            case "/sam":
                Routes.require(method, "POST");
                Exchanges.json(ex, 200, prompt(Exchanges.jsonObject(ex, options.maxBodyBytes)));
                return true;
            case "/sam/automask":
                Routes.require(method, "POST");
                Exchanges.json(ex, 200, automask(Exchanges.jsonObject(ex, options.maxBodyBytes)));
                return true;
            case "/sam/weights":
                if ("POST".equals(method)) {
                    Exchanges.body(ex, options.maxBodyBytes);
                    Exchanges.text(ex, 200, "Registering weights is not supported by cellpilot serve: every model type is answered with "
                            + checkpointName() + ". Restart it with --sam CKPT to use other weights.");
                } else {
                    Routes.require(method, "GET");
                    Exchanges.json(ex, 200, weights(Exchanges.query(ex).get("type")));
                }
                return true;
            case "/sam/weights/cancel":
                Routes.require(method, "GET");
                Exchanges.text(ex, 200, "Cancel signal sent (cellpilot serve downloads nothing)");
                return true;
            case "/sam/version":
                Routes.require(method, "GET");
                Exchanges.text(ex, 200, VERSION);
                return true;
            case "/sam/progress":
                Routes.require(method, "GET");
                Map<String, Object> progress = new LinkedHashMap<>();
                progress.put("message", null);
                progress.put("percent", -1);
                Exchanges.json(ex, 200, progress);
                return true;
            case "/sam/sam3":
            case "/sam/upload":
            case "/sam/video":
            case "/sam/sam3video":
                throw HttpError.notFound(path + "/ is not supported by cellpilot serve: it runs SAM ViT models on single images");
            default:
                return false;
        }
    }

    private List<Object> prompt(Map<String, Object> body) {
        if (!cp.hasSam()) {
            throw new HttpError(503, "no SAM weights loaded: start cellpilot serve with --sam CKPT");
        }
        SamRequest r = SamRequest.parse(body);
        List<Mask> masks = onImage(r.b64img, s -> {
            java.awt.Rectangle region = s.region();
            return s.candidates(r.prompt(region.width, region.height), r.multimask);
        });
        List<Object> features = new ArrayList<>(masks.size());
        for (int i = 0; i < masks.size(); i++) {
            features.add(feature(masks.get(i), i, null));
        }
        return features;
    }

    private List<Object> automask(Map<String, Object> body) {
        String b64img = SamRequest.requiredString(body, "b64img");
        // SAM's grid parameters do not apply (the detector finds the cells); its two filters do.
        double minIou = number(body, "pred_iou_thresh");
        double minArea = number(body, "min_mask_region_area");
        List<Mask> masks = onImage(b64img, Session::segmentAutomatically);
        List<Object> features = new ArrayList<>();
        for (Mask m : masks) {
            if (m.predictedIou() >= minIou && m.area() >= minArea) {
                features.add(feature(m, features.size(), m.type().map(CellType::displayName).orElse(null)));
            }
        }
        return features;
    }

    private static double number(Map<String, Object> body, String key) {
        return body.get(key) == null ? Double.NEGATIVE_INFINITY : SamRequest.numbers(List.of(body.get(key)), key)[0];
    }

    /** One Feature as the extension reads it: no {@code type} property, which QuPath would take as the object type. */
    private Map<String, Object> feature(Mask m, int index, String name) {
        Map<String, Object> properties = new LinkedHashMap<>();
        if (name != null) {
            properties.put("name", name);
        }
        properties.put("object_idx", index);
        properties.put("label", "object");
        properties.put("quality", m.predictedIou());
        properties.put("sam_model", checkpointName());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "Feature");
        f.put("geometry", MaskGeometry.of(m));
        f.put("properties", properties);
        return f;
    }

    private List<Object> weights(String type) {
        List<Object> out = new ArrayList<>();
        for (String t : type == null ? TYPES : List.of(type)) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("type", t);
            w.put("name", checkpointName());
            w.put("url", options.sam == null ? "" : options.sam.toAbsolutePath().normalize().toUri().toString());
            out.add(w);
        }
        return out;
    }

    private String checkpointName() {
        Path sam = options.sam;
        return sam == null ? "none (no --sam given)" : sam.getFileName().toString();
    }

    /**
     * Runs {@code work} on the session of the image in {@code b64img}, decoding and opening it only if no session
     * holds it. A session evicted between finding and using it is opened again, once.
     */
    private <T> T onImage(String b64img, Function<Session, T> work) {
        byte[] bytes = Images.base64("b64img", b64img);
        String key = sha256(bytes);
        for (int attempt = 0; ; attempt++) {
            SessionPool.Entry<byte[]> e = sessions.entry(key, () -> bytes,
                    png -> () -> cp.open(Images.decode("b64img", png, options.maxPixels)));
            Session s;
            try {
                s = e.session();
            } catch (RuntimeException failed) {
                if (failed instanceof HttpError && ((HttpError) failed).status == 410 && attempt == 0) {
                    continue;
                }
                // An image that does not decode must not keep a slot (nor its bytes).
                sessions.discard(key, e);
                throw failed;
            }
            try {
                return work.apply(s);
            } catch (IllegalStateException closed) {
                if (attempt == 0 && e.evicted()) {
                    continue;
                }
                throw closed;
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
