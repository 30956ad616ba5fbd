package org.cellpilot.cellvit;

import org.cellpilot.nn.Layers;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * CellViT's {@code Conv2DBlock} (convolution, batch norm, ReLU) and {@code Deconv2DBlock} (the same behind a 2×
 * transposed-convolution upsampling). Their dropout has p = 0.
 */
final class ConvBlock implements Layer {
    private static final double BATCH_NORM_EPS = 1e-5;

    private final Weights block;
    private final Layer upsample;
    private final Layer conv;
    private final String norm;

    /** {@code block} is the module's {@code nn.Sequential}, whose children are numbered in forward order. */
    private ConvBlock(Weights block, boolean upsampling) {
        this.block = block;
        int child = 0;
        upsample = upsampling ? Layer.convTranspose2d(block, Integer.toString(child++)) : x -> x;
        conv = Layer.conv2d(block, Integer.toString(child++));
        norm = Integer.toString(child);
        block.require(norm + ".weight", norm + ".bias", norm + ".running_mean", norm + ".running_var");
    }

    /** The {@code Conv2DBlock} called {@code name} in {@code w}. */
    static ConvBlock conv(Weights w, String name) {
        return new ConvBlock(w.at(name + ".block."), false);
    }

    /** The {@code Deconv2DBlock} called {@code name} in {@code w}. */
    static ConvBlock deconv(Weights w, String name) {
        return new ConvBlock(w.at(name + ".block."), true);
    }

    @Override
    public Tensor forward(Tensor x) {
        try (Scope scope = Scope.open()) {
            Tensor features = conv.forward(upsample.forward(x));
            return scope.keep(Ops.relu(Layers.batchNorm2d(features, block, norm, BATCH_NORM_EPS)));
        }
    }
}
