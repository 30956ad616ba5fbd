package org.cellpilot.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Chunked attention against softmax(scale·q·kᵀ + bias)·v written as whole-matrix ops in the test, on both kernel
 * paths: oneDNN (per head for long sequences, per group for many short ones) and libtorch's bmm.
 */
class ChunkedAttentionTest {
    @AfterEach
    void restoreKernels() {
        System.clearProperty(OneDnn.PROPERTY);
    }

    /** 2100 tokens make a score matrix over the chunk limit (a global block's case); 40 groups of 49 a windowed one's. */
    @ParameterizedTest
    @CsvSource({"2, 2100, true", "2, 2100, false", "40, 49, true", "40, 49, false"})
    void matchesWholeMatrixAttention(int groups, int tokens, boolean oneDnn) {
        System.setProperty(OneDnn.PROPERTY, Boolean.toString(oneDnn));
        long live = Tensor.liveCount();
        try (Scope scope = Scope.open()) {
            SplittableRandom r = new SplittableRandom(7);
            Tensor q = random(r, groups, tokens, 8);
            Tensor k = random(r, groups, tokens, 8);
            Tensor v = random(r, groups, tokens, 8);
            Tensor bias = random(r, groups, tokens, tokens);
            double scale = 0.35;
            Tensor expected = Ops.matmul(Ops.softmax(Ops.add(Ops.mul(Ops.matmul(q, Ops.transpose(k, 1, 2)), scale), bias), -1), v);
            Tensor actual = ChunkedAttention.attend(q, Ops.transpose(k, 1, 2), v, scale,
                    (g0, gc, r0, rc) -> ChunkedAttention.slice(bias, g0, gc, r0, rc));
            assertArrayEquals(expected.shape(), actual.shape());
            assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 2e-5f);
        }
        assertEquals(live, Tensor.liveCount(), "every tensor freed");
    }

    @Test
    void withoutBias() {
        System.setProperty(OneDnn.PROPERTY, "true");
        try (Scope scope = Scope.open()) {
            SplittableRandom r = new SplittableRandom(8);
            Tensor q = random(r, 1, 2100, 4);
            Tensor k = random(r, 1, 2100, 4);
            Tensor v = random(r, 1, 2100, 4);
            Tensor expected = Ops.matmul(Ops.softmax(Ops.mul(Ops.matmul(q, Ops.transpose(k, 1, 2)), 0.5), -1), v);
            assertArrayEquals(expected.toFloatArray(), ChunkedAttention.attend(q, Ops.transpose(k, 1, 2), v, 0.5, null).toFloatArray(), 2e-5f);
        }
    }

    private static Tensor random(SplittableRandom r, long... shape) {
        float[] values = new float[(int) (shape[0] * shape[1] * shape[2])];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.of(values, shape);
    }
}
