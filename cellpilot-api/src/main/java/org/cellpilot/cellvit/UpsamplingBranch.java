package org.cellpilot.cellvit;

import org.cellpilot.cellvit.SkipConnections.Skips;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * One output branch of the UNETR decoder ({@code create_upsampling_branch}): from the bottleneck tokens up to the
 * input resolution, concatenating each skip feature map in front of the upsampled features on the way.
 */
final class UpsamplingBranch {
    private final Layer bottleneckUpsampler;
    private final Sequential decoder3Upsampler;
    private final Sequential decoder2Upsampler;
    private final Sequential decoder1Upsampler;
    private final Sequential decoder0Header;

    UpsamplingBranch(Weights w) {
        bottleneckUpsampler = Layer.convTranspose2d(w, "bottleneck_upsampler");
        decoder3Upsampler = Sequential.of(w.at("decoder3_upsampler."), ConvBlock::conv, Layer::convTranspose2d);
        decoder2Upsampler = Sequential.of(w.at("decoder2_upsampler."), ConvBlock::conv, Layer::convTranspose2d);
        decoder1Upsampler = Sequential.of(w.at("decoder1_upsampler."), ConvBlock::conv, Layer::convTranspose2d);
        decoder0Header = Sequential.of(w.at("decoder0_header."), ConvBlock::conv, Layer::conv2d);
    }

    /** Raw outputs {@code [B, classes, H, W]}: no softmax or other activation, as the network returns them. */
    Tensor forward(Skips s) {
        try (Scope scope = Scope.open()) {
            Tensor b4 = bottleneckUpsampler.forward(s.bottleneck());
            Tensor b3 = decoder3Upsampler.forward(Ops.cat(1, s.eighth(), b4));
            Tensor b2 = decoder2Upsampler.forward(Ops.cat(1, s.quarter(), b3));
            Tensor b1 = decoder1Upsampler.forward(Ops.cat(1, s.half(), b2));
            return scope.keep(decoder0Header.forward(Ops.cat(1, s.full(), b1)));
        }
    }
}
