package org.cellpilot.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OpsSmokeTest {
    @Test
    void linearMatchesHandComputation() {
        long before = Tensor.liveCount();
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
            Tensor w = Tensor.of(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
            Tensor b = Tensor.of(new float[] {0.5f, -1, 0}, 3);
            Tensor y = Ops.linear(x, w, b);
            assertArrayEquals(new long[] {2, 3}, y.shape());
            assertArrayEquals(new float[] {1.5f, 1, 3, 3.5f, 3, 7}, y.toFloatArray());
            Tensor g = Ops.gelu(Tensor.of(new float[] {0, 1}, 2));
            assertEquals(0.8413447f, g.toFloatArray()[1], 1e-6);
            Tensor sc = Ops.add(Ops.mul(x, 2.0), 1.0);
            assertArrayEquals(new float[] {3, 5, 7, 9}, sc.toFloatArray());
            Tensor sd = Ops.sub(x, Tensor.of(new float[] {1, 1, 1, 1}, 2, 2));
            assertArrayEquals(new float[] {0, 1, 2, 3}, sd.toFloatArray());
            Tensor p = Ops.pad(x, new long[] {0, 1}, 0.0);
            assertArrayEquals(new float[] {1, 2, 0, 3, 4, 0}, p.toFloatArray());
            Tensor t = Ops.contiguous(Ops.transpose(x, 0, 1));
            assertArrayEquals(new float[] {1, 3, 2, 4}, t.toFloatArray());
            Tensor sm = Ops.sum(x, 1, false);
            assertArrayEquals(new float[] {3, 7}, sm.toFloatArray());
            Tensor up = Ops.upsampleBilinear(Ops.reshape(x, 1, 1, 2, 2), 4, 4, false, false);
            assertEquals(16, up.numel());
        }
        assertEquals(before, Tensor.liveCount());
    }
}
