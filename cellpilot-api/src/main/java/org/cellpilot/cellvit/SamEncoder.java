package org.cellpilot.cellvit;

import java.util.ArrayList;
import java.util.List;
import org.cellpilot.nn.Layers;
import org.cellpilot.nn.Weights;
import org.cellpilot.sam.ImageEncoder;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * CellViT-SAM's encoder ({@code ViTCellViTDeit}): SAM's ViT, whose four global-attention blocks give the skip
 * features (their indexes are CellViT's {@code extract_layers}: blocks 3, 6, 9, 12 of SAM-B), and a tissue
 * classifier on the spatial mean of the neck output. Inputs must be square and at most the trained image size,
 * because the reference crops the position embedding instead of resampling it.
 */
final class SamEncoder implements CellVitEncoder {
    private static final int SKIPS = 4;

    private final Weights model;
    private final ImageEncoder encoder;

    /** @param model the whole CellViT checkpoint: the encoder is under {@code encoder.}, the tissue head beside it */
    SamEncoder(Weights model) {
        this.model = model;
        model.require("classifier_head.weight", "classifier_head.bias");
        encoder = new ImageEncoder(model.at("encoder."));
        int global = encoder.globalBlocks().length;
        if (global != SKIPS) {
            encoder.close();
            throw new IllegalArgumentException("CellViT-SAM takes its " + SKIPS + " skip connections at the global-attention "
                    + "blocks, but the encoder in " + model.source() + " has " + global);
        }
    }

    @Override
    public int patchSize() {
        return encoder.patchSize();
    }

    /** The trained image size: the position embedding is cropped to smaller inputs and cannot grow. */
    @Override
    public int maxSide() {
        return encoder.imageSize();
    }

    @Override
    public Encoding encode(Tensor input) {
        try (Scope scope = Scope.open()) {
            List<Tensor> z = new ArrayList<>(SKIPS);
            Tensor neck = encoder.forward(input, z);
            Tensor pooled = Ops.mean(Ops.flatten(neck, 2, 3), 2, false);
            Tensor tissueTypes = Layers.linear(pooled, model, "classifier_head");
            return new Encoding(scope.keep(tissueTypes), scope.keep(channelsFirst(z.get(0))), scope.keep(channelsFirst(z.get(1))),
                    scope.keep(channelsFirst(z.get(2))), scope.keep(channelsFirst(z.get(3))));
        }
    }

    private static Tensor channelsFirst(Tensor tokens) {
        return Ops.permute(tokens, 0, 3, 1, 2);
    }

    @Override
    public void close() {
        encoder.close();
    }
}
