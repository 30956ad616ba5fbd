package org.cellpilot.cellvit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Tensor;
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

    private static Weights zeros(Map<String, long[]> shapes) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> tensors.put(name, Tensor.zeros(DType.FLOAT32, Device.cpu(), shape)));
        return Weights.of(tensors, "test weights");
    }
}
