package org.cellpilot.ffm;

import java.lang.foreign.MemorySegment;
import org.cellpilot.RgbImage;

/** Images from FFM memory, for Java 22+ viewers that hold decoded tiles off-heap. */
public final class SegmentImages {
    private SegmentImages() {
    }

    /**
     * Interleaved 8-bit RGB pixels in {@code segment}, used without copying; the segment must stay alive while
     * the image (or a session opened on it) is in use.
     */
    public static RgbImage wrap(MemorySegment segment, int width, int height) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("zero-copy needs a native segment; use RgbImage.of for heap pixels");
        }
        return RgbImage.wrap(segment.asByteBuffer(), width, height);
    }
}
