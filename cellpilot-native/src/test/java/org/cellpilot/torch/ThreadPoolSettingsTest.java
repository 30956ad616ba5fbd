package org.cellpilot.torch;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

/** Loading libtorch leaves the idle OpenMP and OpenBLAS threads sleeping rather than spinning (see FfmBackend). */
class ThreadPoolSettingsTest {
    @Test
    void idleThreadPoolsSleep() throws Throwable {
        Torch.get();
        Linker linker = Linker.nativeLinker();
        MethodHandle getenv = linker.downcallHandle(linker.defaultLookup().find("getenv").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            for (String[] kv : new String[][] {{"OMP_WAIT_POLICY", "PASSIVE"}, {"OPENBLAS_THREAD_TIMEOUT", "4"}}) {
                MemorySegment value = (MemorySegment) getenv.invokeExact(arena.allocateFrom(kv[0]));
                String expected = System.getenv(kv[0]) != null ? System.getenv(kv[0]) : kv[1];
                assertEquals(expected, value.reinterpret(64).getString(0), kv[0]);
            }
        }
    }
}
