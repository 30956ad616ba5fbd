package org.cellpilot.torch.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which {@code mallopt} calls a backend makes when it loads, and that the user's own choice turns them off. */
class MallocSettingsTest {
    @AfterEach
    void clear() {
        System.clearProperty(LibtorchAbi.MALLOC_SETTING);
    }

    @Test
    void freedBlocksUpTo32MbStayAndUpTo64MbOfFreeTopIsKept() {
        assumeTrue(Stream.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "GLIBC_TUNABLES", "CELLPILOT_MALLOC")
                .allMatch(v -> System.getenv(v) == null), "the environment sets malloc's variables");
        int[][] settings = LibtorchAbi.mallocSettings();
        assertEquals(2, settings.length);
        assertArrayEquals(new int[] {-3, 32 << 20}, settings[0], "M_MMAP_THRESHOLD");
        assertArrayEquals(new int[] {-1, 64 << 20}, settings[1], "M_TRIM_THRESHOLD");
    }

    @Test
    void systemLeavesMallocAlone() {
        System.setProperty(LibtorchAbi.MALLOC_SETTING, "system");
        assertEquals(0, LibtorchAbi.mallocSettings().length);
    }
}
