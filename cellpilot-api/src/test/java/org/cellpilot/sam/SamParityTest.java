package org.cellpilot.sam;

import org.cellpilot.torch.testing.NoTensorLeaks;
import static org.cellpilot.testing.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.Json;
import org.cellpilot.torch.checkpoint.StateDict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every case of the SAM golden sets, against Meta's segment_anything outputs. */
@ExtendWith(NoTensorLeaks.class)
class SamParityTest {
    @ParameterizedTest
    @CsvSource({"sam_tiny, sam_tiny/weights.pth", "sam_tiny, sam_tiny/weights.safetensors",
            "sam_tiny_small, sam_tiny/weights.pth", "cellpilot_tiny, cellpilot_tiny/cellpilot.ckpt"})
    void matchesReference(String set, String weights) {
        assertMatchesReference(set, weights, Device.cpu());
    }

    /** Every case of {@code set} with the model of {@code weights} (under golden/) on {@code device}. */
    static void assertMatchesReference(String set, String weights, Device device) {
        Map<String, Object> cases = Golden.cases(set);
        StateDict golden = StateDict.load(Golden.dir(set).resolve("golden.safetensors"));
        try (SamModel model = SamModel.load(StateDict.load(Golden.shared().resolve("golden").resolve(weights)),
                     Golden.config(cases, "decoder_heads"), SamModel.EncoderPrecision.FLOAT32, device);
             Tensor image = golden.get("image");
             Scope scope = Scope.open()) {
            int h = (int) image.size(0);
            int w = (int) image.size(1);
            byte[] rgb = image.toByteArray();
            if (golden.contains("preprocessed")) {
                Tensor pre = model.preprocess(rgb, w, h);
                float[] ours = pre.toFloatArray();
                float[] ref;
                try (Tensor g = golden.get("preprocessed")) {
                    ref = g.toFloatArray();
                }
                double max = 0;
                for (int i = 0; i < ref.length; i++) {
                    max = Math.max(max, Math.abs(ours[i] - ref[i]));
                }
                assertTrue(max <= 1e-6, "preprocessed differs by " + max);
            }
            if (golden.contains("input_size")) {
                ResizeLongestSide t = model.transform(w, h);
                Tensor size = golden.get("input_size");
                assertArrayEquals(new long[] {t.height, t.width}, Ops.to(size, org.cellpilot.torch.DType.INT64).toLongArray());
                size.close();
            }
            try (SamPredictor predictor = model.predictor(rgb, w, h)) {
                assertEquals(device, predictor.embedding().device(), "the embedding stays on the model's device");
                try (Tensor g = golden.get("image_embedding")) {
                    assertClose("image_embedding", predictor.embedding(), g);
                }
                for (Map<String, Object> c : Golden.caseList(cases)) {
                    checkCase(predictor, golden, c);
                }
            }
        }
    }

    private static void checkCase(SamPredictor predictor, StateDict golden, Map<String, Object> c) {
        String name = (String) c.get("name");
        boolean multimask = Boolean.TRUE.equals(c.get("multimask_output"));
        try (Scope scope = Scope.open()) {
            SamPredictor.Prediction p;
            if (c.containsKey("boxes")) {
                List<SamPrompt> prompts = new ArrayList<>();
                for (double[] b : Json.rows(c.get("boxes"))) {
                    prompts.add(new SamPrompt(null, null, b, null));
                }
                p = predictor.predictBatch(prompts, multimask);
            } else {
                Tensor mask = c.containsKey("mask_input") ? golden.get((String) c.get("mask_input")) : null;
                double[] box = c.containsKey("box") ? Json.doubles(c.get("box")) : null;
                p = predictor.predict(new SamPrompt(Json.rows(c.get("point_coords")), Json.ints(c.get("point_labels")), box, mask),
                        multimask);
                if (mask != null) {
                    mask.close();
                }
            }
            try (p) {
                Tensor refLogits = golden.get(name + "/low_res_logits");
                Tensor refIou = golden.get(name + "/iou");
                Tensor refMasks = golden.get(name + "/masks");
                assertClose(name + "/low_res_logits", p.lowResLogits, refLogits);
                assertClose(name + "/iou", p.iou, refIou);
                checkMasks(name, predictor, p, refMasks, 1e-4 + 1e-3 * Golden.maxAbs(refLogits));
                refLogits.close();
                refIou.close();
                refMasks.close();
            }
        }
    }

    /** At most 0.1% of pixels may differ, and only where our own full-resolution logit is within the bound of 0. */
    private static void checkMasks(String name, SamPredictor predictor, SamPredictor.Prediction p, Tensor ref, double bound) {
        Golden.assertArrayEqualsShape(name + "/masks", ref, p.masks);
        byte[] ours = p.masks.toByteArray();
        byte[] theirs = ref.toByteArray();
        float[] logits;
        try (Scope s = Scope.open()) {
            logits = predictor.upscaleToOriginal(p.lowResLogits.dim() == 3 ? Ops.unsqueeze(p.lowResLogits, 0) : p.lowResLogits)
                    .toFloatArray();
        }
        int differ = 0;
        for (int i = 0; i < ours.length; i++) {
            if (ours[i] != theirs[i]) {
                differ++;
                assertTrue(Math.abs(logits[i]) <= bound, name + "/masks: pixel " + i + " differs with logit " + logits[i]);
            }
        }
        assertTrue(differ <= ours.length / 1000, name + "/masks: " + differ + " of " + ours.length + " pixels differ");
    }
}
