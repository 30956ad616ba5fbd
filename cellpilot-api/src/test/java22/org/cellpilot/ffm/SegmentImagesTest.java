package org.cellpilot.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.cellpilot.RgbImage;
import org.junit.jupiter.api.Test;

class SegmentImagesTest {
    @Test
    void wrapsNativePixelsInPlace() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pixels = arena.allocate(2 * 1 * 3);
            RgbImage image = SegmentImages.wrap(pixels, 2, 1);
            pixels.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 4, (byte) 200);
            assertEquals(200, image.get(1, 0, 1), "the image sees later writes: no copy");
            assertThrows(IllegalArgumentException.class, () -> SegmentImages.wrap(pixels, 3, 1));
        }
        assertThrows(IllegalArgumentException.class, () -> SegmentImages.wrap(MemorySegment.ofArray(new byte[6]), 2, 1));
    }
}
