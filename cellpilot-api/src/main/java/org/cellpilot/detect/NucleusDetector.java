package org.cellpilot.detect;

import java.util.List;
import java.util.OptionalDouble;
import org.cellpilot.RgbImage;

/** Finds nuclei in an image; their boxes prompt SAM in automatic segmentation. Implementations are thread-safe. */
public interface NucleusDetector extends AutoCloseable {
    List<Nucleus> detect(RgbImage image);

    /**
     * The resolution the detector was trained for, in microns per pixel (CellViT x40: 0.25, x20: 0.5); a whole-slide
     * run reads tiles at it. Empty for a detector that works at any resolution (the built-in one), which then
     * sees level 0.
     */
    default OptionalDouble micronsPerPixel() {
        return OptionalDouble.empty();
    }

    @Override
    default void close() {
    }
}
