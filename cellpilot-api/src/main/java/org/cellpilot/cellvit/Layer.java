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
        long[] shape = w.shape(name + ".weight");
        long kernel = shape.length > 2 ? shape[2] : 0;
        w.expectLayer(name, shape[0], shape.length > 1 ? shape[1] : 0, kernel, kernel);
        int padding = (int) (kernel - 1) / 2;
        return x -> Layers.conv2d(x, w, name, 1, padding);
    }

    /** {@code nn.ConvTranspose2d} {@code name}: CellViT's are all 2×2 with stride 2, each pixel becoming a 2×2 patch. */
    static Layer convTranspose2d(Weights w, String name) {
        long[] shape = w.shape(name + ".weight");
        long out = shape.length > 1 ? shape[1] : 0;
        // Weight [in, out, 2, 2], bias [out].
        w.get(name + ".weight", shape[0], out, 2, 2);
        w.get(name + ".bias", out);
        return x -> Layers.convTranspose2d(x, w, name, 2);
    }
}
