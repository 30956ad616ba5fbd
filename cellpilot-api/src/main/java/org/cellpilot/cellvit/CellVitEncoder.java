package org.cellpilot.cellvit;

import org.cellpilot.torch.Tensor;

/** The image encoder of a CellViT: a ViT-256 today, a SAM image encoder for CellViT-SAM checkpoints. */
interface CellVitEncoder {
    /** Input sides must be multiples of this. */
    int patchSize();

    /** Runs on a normalised {@code [B, 3, H, W]} batch; the results belong to the current scope. */
    Encoding encode(Tensor input);

    /**
     * Tissue logits {@code [B, T]} and the four skip feature maps, shallowest first, each
     * {@code [B, C, H / patch, W / patch]}.
     */
    record Encoding(Tensor tissueTypes, Tensor z1, Tensor z2, Tensor z3, Tensor z4) {
    }
}
