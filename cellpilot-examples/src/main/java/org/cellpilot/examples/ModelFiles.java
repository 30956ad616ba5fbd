package org.cellpilot.examples;

import java.nio.file.Path;
import org.cellpilot.CellPilot;
import picocli.CommandLine.Option;

/** {@code --sam} and {@code --cellvit}, shared by the commands that build a {@link CellPilot} for whole images. */
final class ModelFiles {
    @Option(names = "--sam", description = "SAM checkpoint (Meta .pth, CellPilot .ckpt, Hugging Face .safetensors); without it, "
            + "automatic segmentation gives the detector's own masks.")
    Path sam;

    @Option(names = "--cellvit", description = "CellViT checkpoint for automatic segmentation; without it the built-in "
            + "hematoxylin detector runs.")
    Path cellvit;

    /** A builder with these checkpoints (either may be absent). */
    CellPilot.Builder builder() {
        return CellPilot.builder().sam(sam).cellvit(cellvit);
    }
}
