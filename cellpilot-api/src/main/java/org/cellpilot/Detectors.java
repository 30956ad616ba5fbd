package org.cellpilot;

import java.nio.file.Path;
import org.cellpilot.detect.HematoxylinDetector;
import org.cellpilot.detect.NucleusDetector;

/** The detector a {@link CellPilot} uses when the caller supplies none. */
final class Detectors {
    private Detectors() {}

    /** CellViT from {@code checkpoint}, or the weight-free {@link HematoxylinDetector} when there is none. */
    static NucleusDetector load(Path checkpoint) {
        if (checkpoint == null) {
            return new HematoxylinDetector();
        }
        throw new UnsupportedOperationException("the CellViT detector is not wired in yet; leave cellvit(...) unset to use the built-in detector");
    }
}
