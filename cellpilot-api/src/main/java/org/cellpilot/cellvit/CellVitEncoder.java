package org.cellpilot.cellvit;

import org.cellpilot.torch.Tensor;

/** The image encoder of a CellViT: a ViT-256, or a SAM image encoder for CellViT-SAM checkpoints. */
interface CellVitEncoder extends AutoCloseable {
    /** Input sides must be multiples of this. */
    int patchSize();

    /** The largest input side it accepts. */
    default int maxSide() {
        return Integer.MAX_VALUE;
    }

    /** Runs on a normalised {@code [B, 3, H, W]} batch; the results belong to the current scope. */
    Encoding encode(Tensor input);

    /** Frees what the encoder derived from its weights; the weights themselves belong to the model. */
    @Override
    default void close() {
    }

    /**
     * Tissue logits {@code [B, T]} and the four skip feature maps, shallowest first, each
     * {@code [B, C, H / patch, W / patch]}.
     */
    record Encoding(Tensor tissueTypes, Tensor z1, Tensor z2, Tensor z3, Tensor z4) {
    }
}
