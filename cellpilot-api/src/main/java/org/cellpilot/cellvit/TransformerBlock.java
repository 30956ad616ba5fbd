package org.cellpilot.cellvit;

import org.cellpilot.nn.ChunkedAttention;
import org.cellpilot.nn.Layers;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/** A pre-norm ViT block with global multi-head self-attention over all tokens, cls included. */
final class TransformerBlock implements Layer {
    static final double LAYER_NORM_EPS = 1e-6;

    private final Weights w;
    private final int heads;

    TransformerBlock(Weights w, int heads, long dim) {
        this.w = w;
        this.heads = heads;
        w.expectNorm("norm1", dim);
        w.expectLayer("attn.qkv", 3 * dim, dim);
        w.expectLayer("attn.proj", dim, dim);
        w.expectNorm("norm2", dim);
        long hidden = w.shape("mlp.fc1.weight")[0];
        w.expectLayer("mlp.fc1", hidden, dim);
        w.expectLayer("mlp.fc2", dim, hidden);
    }

    @Override
    public Tensor forward(Tensor x) {
        try (Scope scope = Scope.open()) {
            Tensor h = Ops.add(x, attention(Layers.layerNorm(x, w, "norm1", LAYER_NORM_EPS)));
            Tensor mlp = Layers.linear(Ops.gelu(Layers.linear(Layers.layerNorm(h, w, "norm2", LAYER_NORM_EPS), w, "mlp.fc1")), w,
                    "mlp.fc2");
            return scope.keep(Ops.add(h, mlp));
        }
    }

    private Tensor attention(Tensor x) {
        long b = x.size(0);
        long n = x.size(1);
        long c = x.size(2);
        long d = c / heads;
        // [B, N, 3·C] -> [3, B·heads, N, C/heads]
        Tensor qkv = Ops.reshape(Ops.permute(Ops.reshape(Layers.linear(x, w, "attn.qkv"), b, n, 3, heads, d), 2, 0, 3, 1, 4),
                3, b * heads, n, d);
        Tensor attended = ChunkedAttention.attend(Ops.select(qkv, 0, 0), Ops.transpose(Ops.select(qkv, 0, 1), 1, 2),
                Ops.select(qkv, 0, 2), 1.0 / Math.sqrt(d), null);
        return Layers.linear(Ops.reshape(Ops.transpose(Ops.reshape(attended, b, heads, n, d), 1, 2), b, n, c), w, "attn.proj");
    }
}
