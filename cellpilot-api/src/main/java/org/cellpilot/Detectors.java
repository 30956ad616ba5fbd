package org.cellpilot;

import java.nio.file.Path;
import org.cellpilot.cellvit.CellVitDetector;
import org.cellpilot.detect.HematoxylinDetector;
import org.cellpilot.detect.NucleusDetector;
import org.cellpilot.torch.Device;

/** The detector a {@link CellPilot} uses when the caller supplies none. */
final class Detectors {
    private Detectors() {
    }

    /**
     * CellViT from {@code checkpoint}, its network on {@code device}, or the weight-free {@link HematoxylinDetector}
     * (plain Java, on the CPU) when there is none.
     */
    static NucleusDetector load(Path checkpoint, Device device) {
        return checkpoint == null ? new HematoxylinDetector() : CellVitDetector.load(checkpoint, device);
    }
}
