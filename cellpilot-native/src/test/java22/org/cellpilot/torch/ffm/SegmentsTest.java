package org.cellpilot.torch.ffm;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;

class SegmentsTest {
    @Test
    void nativeSegmentsAreWrappedWithoutCopying() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(JAVA_FLOAT, 4);
            seg.setAtIndex(JAVA_FLOAT, 0, 1f);
            try (Tensor t = Segments.wrap(seg, DType.FLOAT32, 2, 2)) {
                seg.setAtIndex(JAVA_FLOAT, 3, 7f);
                assertArrayEquals(new float[] {1, 0, 0, 7}, t.toFloatArray());
                try (Tensor doubled = Ops.mul(t, 2.0)) {
                    assertEquals(14f, Segments.view(doubled).getAtIndex(JAVA_FLOAT, 3));
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Segments.wrap(MemorySegment.ofArray(new float[4]), DType.FLOAT32, 4));
    }
}
