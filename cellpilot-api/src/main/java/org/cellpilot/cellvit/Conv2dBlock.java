package org.cellpilot.cellvit;

import org.cellpilot.cellvit.Layers.BatchNorm2d;
import org.cellpilot.cellvit.Layers.Conv2d;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/** CellViT's {@code Conv2DBlock}: convolution, batch norm, ReLU (its dropout has p = 0). */
final class Conv2dBlock implements Layer {
    private final Conv2d conv;
    private final BatchNorm2d norm;

    Conv2dBlock(Params p) {
        Params block = p.child("block");
        conv = new Conv2d(block.child(0));
        norm = new BatchNorm2d(block.child(1));
    }

    @Override
    public Tensor forward(Tensor x) {
        try (Scope scope = Scope.open()) {
            return scope.keep(Ops.relu(norm.forward(conv.forward(x))));
        }
    }
}
