package org.cellpilot;

import java.nio.file.Path;
import org.cellpilot.cellvit.CellVitDetector;
import org.cellpilot.detect.HematoxylinDetector;
import org.cellpilot.detect.NucleusDetector;

/** The detector a {@link CellPilot} uses when the caller supplies none. */
final class Detectors {
    private Detectors() {
    }

    /** CellViT from {@code checkpoint}, or the weight-free {@link HematoxylinDetector} when there is none. */
    static NucleusDetector load(Path checkpoint) {
        return checkpoint == null ? new HematoxylinDetector() : CellVitDetector.load(checkpoint);
    }
}
