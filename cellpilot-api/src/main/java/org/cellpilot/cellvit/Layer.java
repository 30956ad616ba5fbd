package org.cellpilot.cellvit;

import org.cellpilot.nn.Layers;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Tensor;

/** One step of a forward pass; what {@code nn.Module.forward} is for the single-input modules of CellViT. */
interface Layer {
    /** A new tensor in the current scope; {@code x} is left as it is. */
    Tensor forward(Tensor x);

    /** {@code nn.Conv2d} {@code name}, with stride 1 and "same" padding: how every CellViT decoder convolution is set up. */
    static Layer conv2d(Weights w, String name) {
        int padding = (int) (w.shape(name + ".weight")[2] - 1) / 2;
        w.require(name + ".bias");
        return x -> Layers.conv2d(x, w, name, 1, padding);
    }

    /** {@code nn.ConvTranspose2d} {@code name}: CellViT's are all 2×2 with stride 2, each pixel becoming a 2×2 patch. */
    static Layer convTranspose2d(Weights w, String name) {
        w.require(name + ".weight", name + ".bias");
        return x -> Layers.convTranspose2d(x, w, name, 2);
    }
}
