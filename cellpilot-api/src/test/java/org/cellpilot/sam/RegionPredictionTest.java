package org.cellpilot.sam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;
import org.junit.jupiter.api.Test;

/** The region-restricted automatic path equals the full-frame predictor inside each region. */
class RegionPredictionTest {
    @Test
    void regionLogitsEqualFullFrameLogitsInsideTheRegion() {
        long live = Tensor.liveCount();
        Map<String, Object> cases = Golden.cases("sam_tiny");
        StateDict golden = StateDict.load(Golden.dir("sam_tiny").resolve("golden.safetensors"));
        try (SamModel model = SamModel.load(Golden.dir("sam_tiny").resolve("weights.safetensors"), Golden.config(cases, "decoder_heads"));
             Tensor image = golden.get("image")) {
            int h = (int) image.size(0);
            int w = (int) image.size(1);
            List<SamPrompt> prompts = new ArrayList<>();
            double[][] boxes = {{10, 10, 60, 50}, {80, 20, 140, 90}, {150, 100, 290, 190}, {0, 0, 300, 200}, {200, 10, 230, 40},
                {3, 150, 12, 199}, {288, 0, 300, 7}};
            for (double[] b : boxes) {
                prompts.add(new SamPrompt(null, null, b, null));
            }
            try (SamPredictor predictor = model.predictor(image.toByteArray(), w, h);
                 Scope scope = Scope.open();
                 SamPredictor.Prediction full = predictor.predictBatch(prompts, false)) {
                float[] fullLogits = predictor.upscaleToOriginal(full.lowResLogits).toFloatArray();
                float[] fullIou = full.iou.toFloatArray();
                double maxAbs = 0;
                for (float v : fullLogits) {
                    maxAbs = Math.max(maxAbs, Math.abs(v));
                }
                double bound = 1e-4 + 1e-3 * maxAbs;
                List<RegionMask> regions = predictor.predictRegions(prompts, 3);
                assertEquals(prompts.size(), regions.size());
                for (int i = 0; i < regions.size(); i++) {
                    RegionMask r = regions.get(i);
                    assertEquals(fullIou[i], r.iou, 1e-5, "iou of prompt " + i);
                    assertTrue(r.x0 <= boxes[i][0] && r.y0 <= boxes[i][1] && r.x1 >= Math.min(w, boxes[i][2])
                            && r.y1 >= Math.min(h, boxes[i][3]), "region covers the box");
                    for (int y = r.y0; y < r.y1; y++) {
                        for (int x = r.x0; x < r.x1; x++) {
                            float expected = fullLogits[(i * h + y) * w + x];
                            float actual = r.logit(x, y);
                            assertTrue(Math.abs(expected - actual) <= bound,
                                    "prompt " + i + " pixel (" + x + ", " + y + "): " + actual + " vs full frame " + expected);
                        }
                    }
                }
            }
        }
        assertEquals(live, Tensor.liveCount());
    }
}
