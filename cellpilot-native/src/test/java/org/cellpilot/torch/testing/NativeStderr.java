package org.cellpilot.torch.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.cellpilot.torch.jna.JnaLibc;
import org.cellpilot.torch.spi.StandardError;

/**
 * What native code (libtorch's log) writes to the process's file descriptor 2 while a test body runs; Java's
 * System.err, which surefire captures apart, does not land there. The C library is bound through JNA, which works
 * on every JDK, whichever backend runs libtorch.
 */
public final class NativeStderr {
    private NativeStderr() {
    }

    /** Everything written to file descriptor 2 while {@code body} runs. */
    public static String of(Runnable body) {
        JnaLibc libc = JnaLibc.get();
        assertNotNull(libc, "this C library has memfd_create");
        String written = StandardError.capture(libc, body);
        assertNotNull(written, "an in-memory file for stderr");
        return written;
    }
}
