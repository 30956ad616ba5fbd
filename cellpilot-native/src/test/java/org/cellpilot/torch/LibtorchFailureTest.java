package org.cellpilot.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.cellpilot.torch.jna.JnaLibc;
import org.cellpilot.torch.testing.NativeStderr;
import org.junit.jupiter.api.Test;

/**
 * When libtorch refuses an op, the Java exception carries libtorch's reason, and nothing of it (the C++
 * exception and its backtrace) reaches the process's stderr, which is watched here at the file descriptor. The
 * suite runs on both backends, so both give these messages.
 */
class LibtorchFailureTest {
    @Test
    void theWatcherSeesWhatNativeCodeWritesToStderr() {
        byte[] line = "native line\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("native line\n", NativeStderr.of(() -> assertEquals(line.length, JnaLibc.get().write(2, line))));
    }

    @Test
    void aDispatcherFailureCarriesLibtorchsReasonAndPrintsNothing() {
        Torch.get();
        String stderr = NativeStderr.of(() -> {
            try (Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2); Scope scope = Scope.open()) {
                Tensor half = Ops.to(a, DType.FLOAT16);
                TorchException e = assertThrows(TorchException.class, () -> Ops.matmul(a, half));
                assertTrue(e.getMessage().startsWith("aten::matmul(float32[2, 2], float16[2, 2]) failed: expected m1 and m2 to have the same dtype"),
                        e.getMessage());
            }
        });
        assertEquals("", stderr, "libtorch's log line and backtrace stay off the console");
    }

    @Test
    void aTypedShimFailureCarriesItsReasonToo() {
        Torch.get();
        String stderr = NativeStderr.of(() -> {
            try (Tensor a = Tensor.of(new float[] {1, 2}, 2); Tensor b = Tensor.of(new float[] {1, 2, 3}, 3)) {
                TorchException e = assertThrows(TorchException.class, () -> Ops.add(a, b));
                assertTrue(e.getMessage().contains("must match the size of tensor b (3)"), e.getMessage());
            }
        });
        assertEquals("", stderr);
    }
}
