package org.cellpilot.cellvit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cellpilot.nn.Weights;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;
import org.junit.jupiter.api.Test;

/** Which checkpoints {@link CellVit#load} accepts, and that a refused one leaks nothing. */
class CellVitLoadTest {
    @Test
    void unknownEncoderIsRejected() {
        long live = Tensor.liveCount();
        Weights other = zeros(Map.of("encoder.pos_embed", new long[] {1, 197, 48}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellVit.load(other, 6));
        assertTrue(e.getMessage().contains("encoder.cls_token"), e.getMessage());
        assertEquals(live, Tensor.liveCount());
    }

    @Test
    void headsMustSplitTheEmbeddingAndLoadedWeightsAreFreed() {
        long live = Tensor.liveCount();
        Weights vit = zeros(Map.of(
                "encoder.patch_embed.proj.weight", new long[] {48, 3, 16, 16},
                "encoder.patch_embed.proj.bias", new long[] {48},
                "encoder.cls_token", new long[] {1, 1, 48},
                "encoder.pos_embed", new long[] {1, 197, 48}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellVit.load(vit, 5));
        assertTrue(e.getMessage().contains("5 heads"), e.getMessage());
        assertEquals(live, Tensor.liveCount());
    }

    /**
     * Every floating-point tensor of the tiny CellViT, given one extra unit dimension, makes the load fail naming it
     * (the BatchNorm step counters, integers that inference never reads, are left alone).
     */
    @Test
    void everyTensorsShapeIsCheckedAtLoad() {
        StateDict sd = StateDict.load(Golden.dir("cellvit_tiny/model").resolve("weights.pth")).withPrefix("model_state_dict");
        int heads = Golden.config(Golden.cases("cellvit_tiny/model"), "num_heads");
        int checked = 0;
        for (String key : sd.keys()) {
            if (!sd.dtype(key).isFloatingPoint()) {
                continue;
            }
            long[] shape = sd.shape(key);
            long[] wrong = Arrays.copyOf(shape, shape.length + 1);
            wrong[shape.length] = 1;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String k : sd.keys()) {
                Tensor t = sd.get(k);
                if (k.equals(key)) {
                    try (Tensor original = t) {
                        t = Tensor.of(original.toFloatArray(), wrong);
                    }
                }
                tensors.put(k, t);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CellVit.load(Weights.of(tensors, "test weights"), heads).close(), key);
            assertTrue(e.getMessage().contains("'" + key + "'") && e.getMessage().contains(Arrays.toString(wrong)), key + ": " + e.getMessage());
            checked++;
        }
        assertTrue(checked > 50, checked + " tensors");
    }

    private static Weights zeros(Map<String, long[]> shapes) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> tensors.put(name, Tensor.zeros(DType.FLOAT32, Device.cpu(), shape)));
        return Weights.of(tensors, "test weights");
    }
}
