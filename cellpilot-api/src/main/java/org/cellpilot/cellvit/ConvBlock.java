package org.cellpilot.cellvit;

import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * CellViT's {@code Conv2DBlock} (convolution, batch norm, ReLU) and {@code Deconv2DBlock} (the same behind a 2×
 * transposed-convolution upsampling). Their dropout has p = 0.
 *
 * <p>In inference the batch norm is a per-channel affine map, so it is folded into the convolution's weights at
 * load: at 1024² a separate pass over the 268 MB feature maps costs as much as a small convolution. The blocks
 * run channels-last, where libtorch's CPU convolutions are 1.4× (3×3) and 3× (2×2 transposed) faster than on
 * NCHW tensors here.
 */
final class ConvBlock implements Layer {
    private static final double BATCH_NORM_EPS = 1e-5;

    private final Layer upsample;
    private final Layer conv;

    /** {@code block} is the module's {@code nn.Sequential}, whose children are numbered in forward order. */
    private ConvBlock(Weights block, boolean upsampling) {
        int child = 0;
        upsample = upsampling ? Layer.convTranspose2d(block, Integer.toString(child++)) : x -> x;
        String convName = Integer.toString(child++);
        conv = Layer.conv2d(block, convName);
        foldBatchNorm(block, convName, Integer.toString(child));
    }

    /** conv then BN(γ, β, μ, σ²) = conv with weight W·γ/σ and bias (b − μ)·γ/σ + β, σ = √(σ² + eps). */
    private static void foldBatchNorm(Weights block, String conv, String norm) {
        long channels = block.shape(conv + ".weight")[0];
        block.expectNorm(norm, channels);
        block.get(norm + ".running_mean", channels);
        block.get(norm + ".running_var", channels);
        try (Scope ignored = Scope.open()) {
            Tensor scale = Ops.div(block.get(norm + ".weight"), Ops.sqrt(Ops.add(block.get(norm + ".running_var"), BATCH_NORM_EPS)));
            Tensor weight = block.get(conv + ".weight");
            Tensor folded = Ops.mul(weight, Ops.reshape(scale, scale.size(0), 1, 1, 1));
            Tensor bias = Ops.add(Ops.mul(Ops.sub(block.get(conv + ".bias"), block.get(norm + ".running_mean")), scale),
                    block.get(norm + ".bias"));
            block.replace(conv + ".weight", Scope.detach(Ops.contiguous(folded)));
            block.replace(conv + ".bias", Scope.detach(Ops.contiguous(bias)));
        }
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
            Tensor channelsLast = Ops.permute(Ops.contiguous(Ops.permute(x, 0, 2, 3, 1)), 0, 3, 1, 2);
            return scope.keep(Ops.reluInPlace(conv.forward(upsample.forward(channelsLast))));
        }
    }
}
