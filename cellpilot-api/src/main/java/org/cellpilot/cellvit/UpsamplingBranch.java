package org.cellpilot.cellvit;

import org.cellpilot.cellvit.Layers.Conv2d;
import org.cellpilot.cellvit.Layers.ConvTranspose2d;
import org.cellpilot.cellvit.SkipConnections.Skips;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * One output branch of the UNETR decoder ({@code create_upsampling_branch}): from the bottleneck tokens up to the
 * input resolution, concatenating each skip feature map in front of the upsampled features on the way.
 */
final class UpsamplingBranch {
    private final ConvTranspose2d bottleneckUpsampler;
    private final Sequential decoder3Upsampler;
    private final Sequential decoder2Upsampler;
    private final Sequential decoder1Upsampler;
    private final Sequential decoder0Header;

    UpsamplingBranch(Params p) {
        bottleneckUpsampler = new ConvTranspose2d(p.child("bottleneck_upsampler"));
        decoder3Upsampler = Sequential.of(p.child("decoder3_upsampler"), Conv2dBlock::new, ConvTranspose2d::new);
        decoder2Upsampler = Sequential.of(p.child("decoder2_upsampler"), Conv2dBlock::new, ConvTranspose2d::new);
        decoder1Upsampler = Sequential.of(p.child("decoder1_upsampler"), Conv2dBlock::new, ConvTranspose2d::new);
        decoder0Header = Sequential.of(p.child("decoder0_header"), Conv2dBlock::new, Conv2d::new);
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
