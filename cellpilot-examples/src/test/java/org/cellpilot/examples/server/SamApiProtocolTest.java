package org.cellpilot.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cellpilot.RgbImage;
import org.cellpilot.sam.SamModel;
import org.cellpilot.sam.SamPredictor;
import org.cellpilot.sam.SamPrompt;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.Json;
import org.cellpilot.torch.checkpoint.StateDict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The samapi protocol as QuPath's SAM extension speaks it (../shared/reference/samapi.md): its requests, field by
 * field, and replies whose masks, rasterised back from their polygons, are SAM's golden masks.
 */
class SamApiProtocolTest {
    private static TinyServer server;
    private static RgbImage image;
    private static String png;

    @BeforeAll
    static void start() throws Exception {
        server = new TinyServer();
        image = TinyServer.goldenImage();
        png = TinyServer.base64Png(image, BufferedImage.TYPE_INT_RGB);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The extension's body: Gson's field order, null fields left out, integer coordinates. */
    static String extensionBody(String b64img, int[] bbox, double[][] points, int[] labels, boolean multimask) {
        StringBuilder json = new StringBuilder("{\"type\":\"vit_b\"");
        if (bbox != null) {
            json.append(",\"bbox\":[").append(bbox[0]).append(',').append(bbox[1]).append(',').append(bbox[2]).append(',').append(bbox[3]).append(']');
        }
        json.append(",\"b64img\":\"").append(b64img).append('"');
        if (points != null) {
            json.append(",\"point_coords\":[");
            for (int i = 0; i < points.length; i++) {
                json.append(i == 0 ? "" : ",").append('[').append((int) points[i][0]).append(',').append((int) points[i][1]).append(']');
            }
            json.append("],\"point_labels\":[");
            for (int i = 0; i < labels.length; i++) {
                json.append(i == 0 ? "" : ",").append(labels[i]);
            }
            json.append(']');
        }
        json.append(",\"multimask_output\":").append(multimask);
        json.append(",\"checkpoint_url\":\"").append(TinyServer.WEIGHTS.toUri()).append("\"}");
        return json.toString();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> features(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        Object parsed = Json.parse(r.body());
        assertTrue(parsed instanceof List, "a bare JSON array");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object f : (List<Object>) parsed) {
            Map<String, Object> feature = (Map<String, Object>) f;
            assertEquals("Feature", feature.get("type"));
            Map<String, Object> p = (Map<String, Object>) feature.get("properties");
            assertFalse(p.containsKey("type"), "QuPath would read properties.type as the object type");
            assertEquals("object", p.get("label"));
            assertTrue(p.get("object_idx") instanceof Long, "object_idx is an integer");
            assertTrue(p.get("quality") instanceof Double);
            assertTrue(p.get("sam_model") instanceof String);
            out.add(feature);
        }
        return out;
    }

    @Test
    void promptsGiveTheGoldenMasksAndTheirOwnQualities() {
        Map<String, Object> cases = Golden.cases("sam_tiny");
        StateDict golden = StateDict.load(Golden.dir("sam_tiny").resolve("golden.safetensors"));
        int checked = 0;
        try (SamModel model = SamModel.load(StateDict.load(TinyServer.WEIGHTS), Golden.config(cases, "decoder_heads"));
             SamPredictor predictor = model.predictor(image.toBytes(), image.width(), image.height())) {
            for (Map<String, Object> c : Golden.caseList(cases)) {
                if (c.containsKey("boxes") || c.containsKey("mask_input")) {
                    continue; // batches and mask inputs are not part of the extension's protocol
                }
                String name = (String) c.get("name");
                boolean multimask = Boolean.TRUE.equals(c.get("multimask_output"));
                double[] box = c.containsKey("box") ? Json.doubles(c.get("box")) : null;
                double[][] points = Json.rows(c.get("point_coords"));
                int[] labels = Json.ints(c.get("point_labels"));
                int[] bbox = box == null ? null : new int[] {(int) box[0], (int) box[1], (int) box[2], (int) box[3]};
                List<Map<String, Object>> features = features(server.post("/sam/", extensionBody(png, bbox, points, labels, multimask)));
                try (Scope scope = Scope.open();
                     Tensor refMasks = golden.get(name + "/masks");
                     Tensor refIou = golden.get(name + "/iou");
                     SamPredictor.Prediction ours = predictor.predict(new SamPrompt(points, labels, box, null), multimask)) {
                    assertEquals(refIou.size(0), features.size(), name + ": one feature per mask");
                    float[] iou = refIou.toFloatArray();
                    byte[] predictorMasks = ours.masks.toByteArray();
                    byte[] expected = refMasks.toByteArray();
                    for (int k = 0; k < features.size(); k++) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> p = (Map<String, Object>) features.get(k).get("properties");
                        assertEquals(k, ((Long) p.get("object_idx")).intValue());
                        double qualityBound = 1e-4 + 1e-3 * Golden.maxAbs(refIou);
                        assertEquals(iou[k], (Double) p.get("quality"), qualityBound, name + ": feature " + k + " carries its own IoU");
                        assertMaskMatches(name + "[" + k + "]", features.get(k).get("geometry"), predictorMasks, expected, k);
                    }
                    checked++;
                }
            }
        }
        assertEquals(5, checked);
    }

    /**
     * The feature's polygon, rasterised, is exactly SAM's mask k from the predictor in this JVM, and within the golden
     * rule's 0.1 % of the reference mask. (The rule's other half, that only pixels with a logit near 0 differ, is
     * SamParityTest's: the logits do not travel over HTTP.)
     */
    private static void assertMaskMatches(String what, Object geometry, byte[] predictor, byte[] golden, int k) {
        int n = image.width() * image.height();
        boolean[] ours = FeatureRaster.rasterise(geometry, image.width(), image.height());
        int differ = 0;
        int area = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(predictor[k * n + i] != 0, ours[i], what + ": pixel (" + i % image.width() + ", " + i / image.width() + ")");
            differ += ours[i] != (golden[k * n + i] != 0) ? 1 : 0;
            area += ours[i] ? 1 : 0;
        }
        assertTrue(area > 0, what + " is empty");
        assertTrue(differ <= n / 1000, what + ": " + differ + " pixels differ from the golden mask");
    }

    @Test
    void theSamePngTwiceIsEncodedOnceAndRgbaOrGreyPngsAreAccepted() {
        String body = extensionBody(png, null, new double[][] {{150, 100}}, new int[] {1}, false);
        Object first = features(server.post("/sam/", body)).get(0).get("geometry");
        int opened = server.server.samSessionsOpened();
        Object second = features(server.post("/sam", body)).get(0).get("geometry");
        assertEquals(opened, server.server.samSessionsOpened(), "the second prompt on the same PNG reuses its session");
        assertEquals(first, second);
        String rgba = TinyServer.base64Png(image, BufferedImage.TYPE_INT_ARGB);
        assertEquals(first, features(server.post("/sam/", extensionBody(rgba, null, new double[][] {{150, 100}}, new int[] {1}, false)))
                .get(0).get("geometry"), "an RGBA PNG of the same pixels gives the same mask");
        String grey = TinyServer.base64Png(image, BufferedImage.TYPE_BYTE_GRAY);
        assertEquals(1, features(server.post("/sam/", extensionBody(grey, new int[] {-20, -10, 400, 300}, null, null, true))).size() / 3);
    }

    @Test
    void aBoxPartlyOutsideTheImageIsClipped() {
        Object clipped = features(server.post("/sam/", extensionBody(png, new int[] {-15, -8, 120, 90}, null, null, false))).get(0).get("geometry");
        Object inside = features(server.post("/sam/", extensionBody(png, new int[] {0, 0, 120, 90}, null, null, false))).get(0).get("geometry");
        assertEquals(inside, clipped);
    }

    @Test
    void explicitNullsAndUnknownKeysAreIgnored() {
        String body = "{\"type\":\"vit_b\",\"bbox\":null,\"b64mask\":null,\"b64img\":\"" + png + "\",\"point_coords\":[[150,100]],"
                + "\"point_labels\":[1],\"multimask_output\":null,\"checkpoint_url\":null,\"builderAsGroovyScript\":\"x\"}";
        assertEquals(1, features(server.post("/sam/", body)).size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void weightsListHasAnEntryForEveryTypeAskedAbout() {
        for (String type : List.of("vit_b", "vit_h", "vit_t", "sam2_l")) {
            HttpResponse<String> r = server.get("/sam/weights/?type=" + type);
            assertEquals(200, r.statusCode());
            List<Object> list = (List<Object>) Json.parse(r.body());
            assertEquals(1, list.size(), type);
            Map<String, Object> w = (Map<String, Object>) list.get(0);
            assertEquals(type, w.get("type"));
            assertEquals(TinyServer.WEIGHTS.toAbsolutePath().normalize().toUri().toString(), w.get("url"));
            assertTrue(w.get("name") instanceof String);
        }
        assertTrue(((List<Object>) Json.parse(server.get("/sam/weights/").body())).size() >= 8, "without a type, every type");
    }

    @Test
    @SuppressWarnings("unchecked")
    void versionProgressRegistrationAndCancelAnswerAsSamapiDoes() {
        HttpResponse<String> version = server.get("/sam/version/");
        assertEquals(200, version.statusCode());
        assertTrue(version.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        Map<String, Object> progress = (Map<String, Object>) Json.parse(server.get("/sam/progress/").body());
        assertTrue(progress.containsKey("message") && progress.get("message") == null);
        assertEquals(-1L, progress.get("percent"));
        HttpResponse<String> register = server.post("/sam/weights/", "{\"type\":\"vit_b\",\"name\":\"x\",\"url\":\"https://example.org/x.pth\"}");
        assertEquals(200, register.statusCode());
        assertTrue(register.body().contains("not supported"), register.body());
        assertEquals(200, server.get("/sam/weights/cancel/").statusCode());
    }

    @Test
    @SuppressWarnings("unchecked")
    void automaskSegmentsTheDetectorsCellsWithSamAndAppliesTheExtensionsFilters() {
        List<org.cellpilot.Mask> cells;
        try (org.cellpilot.Session s = server.cp.open(image)) {
            cells = s.segmentAutomatically();
        }
        assertEquals(TinyServer.BOXES.length, cells.size());
        double threshold = cells.stream().mapToDouble(org.cellpilot.Mask::predictedIou).sorted().toArray()[1];
        long minArea = 20;
        List<org.cellpilot.Mask> kept = cells.stream().filter(m -> m.predictedIou() >= threshold && m.area() >= minArea).toList();
        String body = "{\"type\":\"vit_b\",\"b64img\":\"" + png + "\",\"points_per_side\":16,\"points_per_batch\":64,\"pred_iou_thresh\":"
                + threshold + ",\"stability_score_thresh\":0.95,\"stability_score_offset\":1.0,\"box_nms_thresh\":0.2,\"crop_n_layers\":0,"
                + "\"crop_nms_thresh\":0.7,\"crop_overlap_ratio\":0.3413,\"crop_n_points_downscale_factor\":1,\"min_mask_region_area\":" + minArea
                + ",\"output_type\":\"Single mask\",\"include_image_edge\":false,\"checkpoint_url\":\"" + TinyServer.WEIGHTS.toUri() + "\"}";
        List<Map<String, Object>> features = features(server.post("/sam/automask/", body));
        assertEquals(kept.size(), features.size());
        for (int i = 0; i < features.size(); i++) {
            Map<String, Object> p = (Map<String, Object>) features.get(i).get("properties");
            assertEquals((long) i, p.get("object_idx"));
            assertEquals("Epithelial", p.get("name"));
            assertEquals(kept.get(i).predictedIou(), (Double) p.get("quality"), 1e-6);
            boolean[] pixels = FeatureRaster.rasterise(features.get(i).get("geometry"), image.width(), image.height());
            int area = 0;
            for (boolean b : pixels) {
                area += b ? 1 : 0;
            }
            assertEquals(kept.get(i).area(), area, "feature " + i + " covers its mask's pixels");
        }
    }
}
