package org.cellpilot.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void closeIsIdempotentAndUseAfterCloseThrows() {
        long live = Tensor.liveCount();
        Tensor t = Tensor.of(new float[] {1, 2}, 2);
        assertEquals(live + 1, Tensor.liveCount());
        t.close();
        t.close();
        assertEquals(live, Tensor.liveCount());
        assertTrue(t.isClosed());
        assertThrows(IllegalStateException.class, t::handle);
        assertThrows(IllegalStateException.class, t::toFloatArray);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Ops.relu(t));
        assertTrue(e.getMessage().contains("after close"), e.getMessage());
    }

    @Test
    void scopeFreesIntermediatesAndKeepsWhatIsKept() {
        long live = Tensor.liveCount();
        Tensor kept;
        try (Scope outer = Scope.open()) {
            Tensor inner;
            try (Scope s = Scope.open()) {
                Tensor a = Tensor.of(new float[] {1, 2}, 2);
                Tensor b = Ops.mul(a, 3.0);
                inner = s.keep(Ops.add(b, 1.0));
            }
            assertFalse(inner.isClosed(), "kept tensor moves to the enclosing scope");
            assertArrayEquals(new float[] {4, 7}, inner.toFloatArray());
            kept = outer.keep(inner);
        }
        assertFalse(kept.isClosed(), "kept out of the outermost scope: the caller owns it");
        assertEquals(live + 1, Tensor.liveCount());
        kept.close();
        assertEquals(live, Tensor.liveCount());
    }

    @Test
    void wrapIsZeroCopyForDirectBuffers() {
        ByteBuffer buf = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        buf.asFloatBuffer().put(new float[] {1, 2, 3, 4});
        try (Tensor t = Tensor.wrap(buf, DType.FLOAT32, 2, 2)) {
            buf.putFloat(0, 42f);
            assertEquals(42f, t.toFloatArray()[0], "the tensor aliases the buffer");
            ByteBuffer view = t.memory();
            assertEquals(42f, view.getFloat(0));
        }
    }

    @Test
    void stridedViewsReadTheRightElements() {
        ByteBuffer buf = ByteBuffer.allocateDirect(6 * 4).order(ByteOrder.nativeOrder());
        buf.asFloatBuffer().put(new float[] {0, 1, 2, 3, 4, 5});
        try (Tensor t = Tensor.view(buf, DType.FLOAT32, 1, new long[] {2, 2}, new long[] {1, 2})) {
            assertArrayEquals(new float[] {1, 3, 2, 4}, t.toFloatArray());
        }
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.view(buf, DType.FLOAT32, 3, new long[] {2, 2}, new long[] {2, 1}));
    }

    @Test
    void heapArraysAreCopiedOnce() {
        float[] data = {1, 2, 3};
        try (Tensor t = Tensor.of(data, 3)) {
            data[0] = 9;
            assertEquals(1f, t.toFloatArray()[0]);
            assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[] {1, 2}, 3));
        }
    }

    @Test
    void failedOpsNameTheOpAndShapesAndTheJvmSurvives() {
        long live = Tensor.liveCount();
        try (Scope s = Scope.open()) {
            Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor b = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            TorchException e = assertThrows(TorchException.class, () -> Ops.matmul(a, b));
            assertTrue(e.getMessage().contains("aten::matmul"), e.getMessage());
            assertTrue(e.getMessage().contains("float32[2, 3]"), e.getMessage());
            TorchException unknown = assertThrows(TorchException.class, () -> Dispatch.one("aten::no_such_op", "", a));
            assertTrue(unknown.getMessage().contains("aten::no_such_op"), unknown.getMessage());
            TorchException add = assertThrows(TorchException.class, () -> Ops.add(a, Tensor.of(new float[] {1, 2}, 2)));
            assertTrue(add.getMessage().contains("aten::add.Tensor(float32[2, 3], float32[2])"), add.getMessage());
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, Ops.add(a, b).toFloatArray(), "libtorch still works");
        }
        assertEquals(live, Tensor.liveCount());
    }

    @Test
    void opsRunOnOtherThreadsWithTheirOwnSettings() throws Exception {
        AtomicReference<float[]> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try (Scope s = Scope.open()) {
                result.set(Ops.gelu(Tensor.of(new float[] {0, 1}, 2)).toFloatArray());
            } catch (Throwable t) {
                error.set(t);
            }
        });
        worker.start();
        worker.join();
        if (error.get() != null) {
            throw new AssertionError(error.get());
        }
        assertEquals(0.8413447f, result.get()[1], 1e-6f);
        Torch torch = Torch.get();
        int before = torch.threads();
        torch.setThreads(1);
        assertEquals(1, torch.backend.threads());
        torch.setThreads(before);
    }

    @Test
    void emptyAndZeros() {
        try (Tensor z = Tensor.zeros(DType.FLOAT32, Device.cpu(), 2, 2)) {
            assertArrayEquals(new float[4], z.toFloatArray());
            assertEquals(DType.FLOAT32, z.dtype());
        }
        assertThrows(IllegalArgumentException.class, () -> Tensor.empty(DType.FLOAT32, Device.cpu(), -1));
    }

    @Test
    void cudaRequestsFailClearlyWithoutCuda() {
        if (Torch.get().cudaAvailable()) {
            return;
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Tensor.empty(DType.FLOAT32, Device.cuda(0), 2));
        assertTrue(e.getMessage().contains("no CUDA"), e.getMessage());
    }
}
