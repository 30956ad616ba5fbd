package org.cellpilot.sam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cellpilot.testing.Golden;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;
import org.junit.jupiter.api.Test;

/**
 * The bf16 encoder against the float32 one. With random weights many logits sit near 0, where any rounding
 * flips the mask, so masks are compared only where the float32 logit is confidently away from it (|l| > 0.5).
 */
class Bf16EncoderTest {
    @Test
    void bf16EncoderStaysCloseToFloat32() {
        long live = Tensor.liveCount();
        assertBf16StaysCloseToFloat32(Device.cpu());
        assertEquals(live, Tensor.liveCount());
    }

    /** Both models on {@code device}. */
    static void assertBf16StaysCloseToFloat32(Device device) {
        StateDict weights = StateDict.load(Golden.dir("sam_tiny").resolve("weights.safetensors"));
        StateDict golden = StateDict.load(Golden.dir("sam_tiny").resolve("golden.safetensors"));
        try (SamModel fp32 = SamModel.load(weights, 2, SamModel.EncoderPrecision.FLOAT32, device);
             SamModel bf16 = SamModel.load(weights, 2, SamModel.EncoderPrecision.BFLOAT16, device);
             Tensor image = golden.get("image")) {
            Tensor qkv = bf16.imageEncoderWeight("blocks.0.attn.qkv.weight");
            assertEquals(DType.BFLOAT16, qkv.dtype());
            assertEquals(device, qkv.device());
            byte[] rgb = image.toByteArray();
            int w = (int) image.size(1);
            int h = (int) image.size(0);
            try (SamPredictor a = fp32.predictor(rgb, w, h);
                 SamPredictor b = bf16.predictor(rgb, w, h);
                 Scope scope = Scope.open()) {
                double embeddingError = relativeError(b.embedding().toFloatArray(), a.embedding().toFloatArray());
                assertTrue(embeddingError < 0.05, "embedding relative error " + embeddingError);
                SamPrompt prompt = SamPrompt.box(40, 30, 220, 170);
                try (SamPredictor.Prediction pa = a.predict(prompt, false); SamPredictor.Prediction pb = b.predict(prompt, false)) {
                    float[] la = a.upscaleToOriginal(org.cellpilot.torch.Ops.unsqueeze(pa.lowResLogits, 0)).toFloatArray();
                    float[] lb = b.upscaleToOriginal(org.cellpilot.torch.Ops.unsqueeze(pb.lowResLogits, 0)).toFloatArray();
                    double logitError = relativeError(pb.lowResLogits.toFloatArray(), pa.lowResLogits.toFloatArray());
                    assertTrue(logitError < 0.05, "logit relative error " + logitError);
                    long union = 0;
                    long intersection = 0;
                    for (int i = 0; i < la.length; i++) {
                        if (Math.abs(la[i]) > 0.5) {
                            boolean x = la[i] > 0;
                            boolean y = lb[i] > 0;
                            union += x || y ? 1 : 0;
                            intersection += x && y ? 1 : 0;
                        }
                    }
                    double iou = union == 0 ? 1 : (double) intersection / union;
                    assertTrue(union > 0, "the comparison covers some mask pixels");
                    assertTrue(iou >= 0.98, "mask IoU over confident pixels " + iou);
                }
            }
        }
    }

    private static double relativeError(float[] ours, float[] reference) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < ours.length; i++) {
            num += (ours[i] - reference[i]) * (double) (ours[i] - reference[i]);
            den += reference[i] * (double) reference[i];
        }
        return Math.sqrt(num / den);
    }
}
