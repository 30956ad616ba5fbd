package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cellpilot.cellvit.CellVitDetector;
import org.cellpilot.detect.HematoxylinDetector;
import org.cellpilot.detect.NucleusDetector;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;

class DetectorsTest {
    @Test
    void aCellVitCheckpointGivesTheCellVitDetector() {
        long live = Tensor.liveCount();
        try (NucleusDetector detector = Detectors.load(Golden.dir("cellvit_tiny/model").resolve("weights.pth"), Device.cpu())) {
            assertInstanceOf(CellVitDetector.class, detector);
        }
        assertEquals(live, Tensor.liveCount());
    }

    @Test
    void withoutACheckpointTheBuiltInDetectorRuns() {
        try (NucleusDetector detector = Detectors.load(null, Device.cpu())) {
            assertInstanceOf(HematoxylinDetector.class, detector);
        }
    }

    @Test
    void aSamCheckpointIsNotACellVitDetector() {
        assertThrows(IllegalArgumentException.class, () -> Detectors.load(Golden.dir("sam_tiny").resolve("weights.pth"), Device.cpu()));
    }
}
