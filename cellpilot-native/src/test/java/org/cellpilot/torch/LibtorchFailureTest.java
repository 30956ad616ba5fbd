package org.cellpilot.torch;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * When libtorch refuses an op, the Java exception carries libtorch's reason, and nothing of it (the C++
 * exception and its backtrace) reaches the process's stderr, which is watched here at the file descriptor.
 */
class LibtorchFailureTest {
    private static final Linker LINKER = Linker.nativeLinker();

    private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    /** Everything written to file descriptor 2 while {@code body} runs. */
    private static String stderrOf(Runnable body) throws Throwable {
        MethodHandle memfd = libc("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        MethodHandle dup = libc("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        MethodHandle dup2 = libc("dup2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        MethodHandle lseek = libc("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        MethodHandle read = libc("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        try (Arena arena = Arena.ofConfined()) {
            int file = (int) memfd.invokeExact(arena.allocateFrom("test-stderr"), 0);
            int saved = (int) dup.invokeExact(2);
            assertTrue(file >= 0 && saved >= 0 && (int) dup2.invokeExact(file, 2) == 2);
            try {
                body.run();
            } finally {
                System.err.flush();
                assertEquals(2, (int) dup2.invokeExact(saved, 2));
            }
            long size = (long) lseek.invokeExact(file, 0L, 1);
            assertEquals(0L, (long) lseek.invokeExact(file, 0L, 0));
            MemorySegment text = arena.allocate(Math.max(1, size));
            assertEquals(size, (long) read.invokeExact(file, text, size));
            return new String(text.asSlice(0, size).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aDispatcherFailureCarriesLibtorchsReasonAndPrintsNothing() throws Throwable {
        Torch.get();
        String stderr = stderrOf(() -> {
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
    void aTypedShimFailureCarriesItsReasonToo() throws Throwable {
        Torch.get();
        String stderr = stderrOf(() -> {
            try (Tensor a = Tensor.of(new float[] {1, 2}, 2); Tensor b = Tensor.of(new float[] {1, 2, 3}, 3)) {
                TorchException e = assertThrows(TorchException.class, () -> Ops.add(a, b));
                assertTrue(e.getMessage().contains("must match the size of tensor b (3)"), e.getMessage());
            }
        });
        assertEquals("", stderr);
    }
}
