package org.cellpilot.sam;

import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * SAM's random-Fourier positional encoding ({@code PositionEmbeddingRandom}): coordinates in [0, 1] map to
 * [sin(2π(2c−1)G), cos(2π(2c−1)G)] with the checkpoint's Gaussian matrix G [2, C/2].
 */
final class PositionEmbeddingRandom {
    private final Tensor gaussian;

    PositionEmbeddingRandom(Tensor gaussian) {
        if (gaussian.dim() != 2 || gaussian.size(0) != 2) {
            throw new IllegalArgumentException("positional_encoding_gaussian_matrix must be [2, C/2], got " + gaussian.describe());
        }
        this.gaussian = gaussian;
    }

    int channels() {
        return (int) gaussian.size(1) * 2;
    }

    /** coords [..., 2] (x, y) in [0, 1] → [..., C]; the same float32 steps as the reference. */
    Tensor encode(Tensor coords) {
        try (Scope scope = Scope.open()) {
            Tensor c = Ops.add(Ops.mul(coords, 2.0), -1.0);
            c = Ops.mul(Ops.matmul(c, gaussian), 2 * Math.PI);
            return scope.keep(Ops.cat(-1, Ops.sin(c), Ops.cos(c)));
        }
    }

    /** Pixel coordinates [B, N, 2] in an image of {@code height × width} → [B, N, C]. */
    Tensor encodePixels(Tensor coords, int height, int width) {
        try (Scope scope = Scope.open()) {
            Tensor x = Ops.div(Ops.narrow(coords, -1, 0, 1), width);
            Tensor y = Ops.div(Ops.narrow(coords, -1, 1, 1), height);
            return scope.keep(encode(Ops.cat(-1, x, y)));
        }
    }

    /** The encoding of every cell centre of a {@code size × size} grid: [1, C, size, size]. */
    Tensor dense(int size) {
        float[] grid = new float[size * size * 2];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                // cumsum of ones minus 0.5, over the size: exact in float32, as in the reference.
                grid[(i * size + j) * 2] = (j + 1 - 0.5f) / size;
                grid[(i * size + j) * 2 + 1] = (i + 1 - 0.5f) / size;
            }
        }
        try (Scope scope = Scope.open()) {
            Tensor pe = encode(Ops.onDeviceOf(Tensor.of(grid, size, size, 2), gaussian));
            return scope.keep(Ops.contiguous(Ops.unsqueeze(Ops.permute(pe, 2, 0, 1), 0)));
        }
    }
}
