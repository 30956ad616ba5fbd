package org.cellpilot;

import java.nio.file.Path;
import org.cellpilot.cellvit.CellVitDetector;
import org.cellpilot.detect.NucleusDetector;

/** Chooses the nucleus detector: CellViT when a checkpoint is given, else the built-in one. */
final class Detectors {
    private Detectors() {
    }

    static NucleusDetector load(Path cellvit) {
        if (cellvit != null) {
            return CellVitDetector.load(cellvit);
        }
        throw new UnsupportedOperationException("no nucleus detector available yet");
    }
}
