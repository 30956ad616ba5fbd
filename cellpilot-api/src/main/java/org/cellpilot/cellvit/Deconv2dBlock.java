package org.cellpilot.cellvit;

import org.cellpilot.cellvit.Layers.BatchNorm2d;
import org.cellpilot.cellvit.Layers.Conv2d;
import org.cellpilot.cellvit.Layers.ConvTranspose2d;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/** CellViT's {@code Deconv2DBlock}: 2× transposed-convolution upsampling, convolution, batch norm, ReLU. */
final class Deconv2dBlock implements Layer {
    private final ConvTranspose2d upsample;
    private final Conv2d conv;
    private final BatchNorm2d norm;

    Deconv2dBlock(Params p) {
        Params block = p.child("block");
        upsample = new ConvTranspose2d(block.child(0));
        conv = new Conv2d(block.child(1));
        norm = new BatchNorm2d(block.child(2));
    }

    @Override
    public Tensor forward(Tensor x) {
        try (Scope scope = Scope.open()) {
            return scope.keep(Ops.relu(norm.forward(conv.forward(upsample.forward(x)))));
        }
    }
}
