package org.cellpilot.cellvit;

import org.cellpilot.cellvit.CellVitEncoder.Encoding;
import org.cellpilot.nn.Weights;
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

    SkipConnections(Weights w) {
        decoder0 = Sequential.of(w.at("decoder0."), ConvBlock::conv);
        decoder1 = Sequential.of(w.at("decoder1."), ConvBlock::deconv);
        decoder2 = Sequential.of(w.at("decoder2."), ConvBlock::deconv);
        decoder3 = Sequential.of(w.at("decoder3."), ConvBlock::deconv);
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
