package org.cellpilot.torch.checkpoint;

import java.nio.file.Path;

/** Where the shared golden checkpoints are. */
final class Golden {
    static final Path ROOT = Path.of(System.getProperty("cellpilot.shared", "../shared")).resolve("golden");
    static final Path SAM_PTH = ROOT.resolve("sam_tiny/weights.pth");
    static final Path SAM_SAFETENSORS = ROOT.resolve("sam_tiny/weights.safetensors");
    static final Path CELLPILOT_CKPT = ROOT.resolve("cellpilot_tiny/cellpilot.ckpt");
    static final Path CELLVIT_PTH = ROOT.resolve("cellvit_tiny/model/weights.pth");

    private Golden() {
    }
}
