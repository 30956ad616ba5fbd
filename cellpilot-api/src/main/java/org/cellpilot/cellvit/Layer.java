package org.cellpilot.cellvit;

import org.cellpilot.torch.Tensor;

/** One step of a forward pass; what {@code nn.Module.forward} is for the single-input modules of CellViT. */
interface Layer {
    /** A new tensor in the current scope; {@code x} is left as it is. */
    Tensor forward(Tensor x);
}
