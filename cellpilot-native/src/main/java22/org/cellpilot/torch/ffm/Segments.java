package org.cellpilot.torch.ffm;

import java.lang.foreign.MemorySegment;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Tensor;

/** Zero-copy tensors over FFM memory, for Java 22+ hosts that already hold their data in a {@link MemorySegment}. */
public final class Segments {
    private Segments() {
    }

    /**
     * A contiguous tensor aliasing {@code segment}, which must be native, hold at least the tensor's bytes, and stay
     * alive (its arena open) while the tensor is used. The tensor keeps a reference to the segment's view.
     */
    public static Tensor wrap(MemorySegment segment, DType dtype, long... shape) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("zero-copy needs a native segment; a heap segment must be copied (use Tensor.of)");
        }
        return Tensor.wrap(segment.asByteBuffer(), dtype, shape);
    }

    /** A read-only view of a CPU, contiguous tensor's memory, valid while the tensor is open. */
    public static MemorySegment view(Tensor tensor) {
        return MemorySegment.ofBuffer(tensor.memory());
    }
}
