package org.cellpilot.torch.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cellpilot.torch.DType;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SafetensorsReaderTest {
    private long live;

    @BeforeEach
    void countTensors() {
        live = Tensor.liveCount();
    }

    @AfterEach
    void nothingLeaks() {
        assertEquals(live, Tensor.liveCount());
    }

    @Test
    void readsGoldenSamWeights() {
        StateDict sd = StateDict.load(Golden.SAM_SAFETENSORS);
        assertTrue(sd.contains("image_encoder.pos_embed"));
        assertArrayEquals(new long[] {1, 16, 16, 48}, sd.shape("image_encoder.pos_embed"));
        assertEquals(DType.FLOAT32, sd.dtype("image_encoder.pos_embed"));
        try (Tensor t = sd.get("image_encoder.pos_embed")) {
            assertArrayEquals(new long[] {1, 16, 16, 48}, t.shape());
            float[] v = t.toFloatArray();
            assertEquals(16 * 16 * 48, v.length);
        }
    }
}
