package org.cellpilot.detect;

import java.util.List;
import org.cellpilot.RgbImage;

/** Finds nuclei in an image; their boxes prompt SAM in automatic segmentation. Implementations are thread-safe. */
public interface NucleusDetector extends AutoCloseable {
    List<Nucleus> detect(RgbImage image);

    @Override
    default void close() {
    }
}
