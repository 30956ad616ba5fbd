package org.cellpilot.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Function;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

/**
 * Loading libtorch leaves the idle OpenMP and OpenBLAS threads sleeping rather than spinning, on either backend.
 * The C library's environment is read with getenv: Java's System.getenv is a copy taken at JVM start.
 */
class ThreadPoolSettingsTest {
    @Test
    void idleThreadPoolsSleep() {
        Torch.get();
        Function getenv = Function.getFunction("c", "getenv");
        for (String[] kv : new String[][] {{"OMP_WAIT_POLICY", "PASSIVE"}, {"OPENBLAS_THREAD_TIMEOUT", "4"}}) {
            Pointer value = (Pointer) getenv.invoke(Pointer.class, new Object[] {kv[0]});
            String expected = System.getenv(kv[0]) != null ? System.getenv(kv[0]) : kv[1];
            assertEquals(expected, value == null ? null : value.getString(0), kv[0]);
        }
    }
}
