package org.cellpilot.cellvit;

import org.cellpilot.cellvit.CellVitEncoder.Encoding;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * The skip paths of CellViT's UNETR decoder ({@code decoder0..3}): the input image and the shallower encoder
 * features brought to the resolutions where the upsampling branches meet them. The reference recomputes them in
 * every branch; in inference mode the results are identical, so they are computed once and shared.
 */
final class SkipConnections {
    private final Sequential decoder0;
    private final Sequential decoder1;
    private final Sequential decoder2;
    private final Sequential decoder3;

    SkipConnections(Params p) {
        decoder0 = Sequential.of(p.child("decoder0"), Conv2dBlock::new);
        decoder1 = Sequential.of(p.child("decoder1"), Deconv2dBlock::new);
        decoder2 = Sequential.of(p.child("decoder2"), Deconv2dBlock::new);
        decoder3 = Sequential.of(p.child("decoder3"), Deconv2dBlock::new);
    }

    Skips forward(Tensor input, Encoding z) {
        try (Scope scope = Scope.open()) {
            Tensor full = decoder0.forward(input);
            Tensor half = decoder1.forward(z.z1());
            Tensor quarter = decoder2.forward(z.z2());
            Tensor eighth = decoder3.forward(z.z3());
            return new Skips(scope.keep(full), scope.keep(half), scope.keep(quarter), scope.keep(eighth), z.z4());
        }
    }

    /** Skip features at full, 1/2, 1/4 and 1/8 resolution (for patch 16), and the bottleneck tokens. */
    record Skips(Tensor full, Tensor half, Tensor quarter, Tensor eighth, Tensor bottleneck) {
    }
}
