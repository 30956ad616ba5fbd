package org.cellpilot.cellvit;

import org.cellpilot.torch.Tensor;

/**
 * The raw network outputs of one batch, as CellViT's {@code forward} returns them; the softmax over classes is
 * left to post-processing.
 *
 * @param tissueTypes     tissue logits {@code [B, T]}
 * @param nucleiBinaryMap background/nucleus logits {@code [B, 2, H, W]}
 * @param hvMap           horizontal (channel 0) and vertical (channel 1) distance maps {@code [B, 2, H, W]}, no activation
 * @param nucleiTypeMap   nucleus type logits {@code [B, C, H, W]}, class 0 background
 */
public record CellVitOutput(Tensor tissueTypes, Tensor nucleiBinaryMap, Tensor hvMap, Tensor nucleiTypeMap)
        implements AutoCloseable {
    @Override
    public void close() {
        tissueTypes.close();
        nucleiBinaryMap.close();
        hvMap.close();
        nucleiTypeMap.close();
    }
}
