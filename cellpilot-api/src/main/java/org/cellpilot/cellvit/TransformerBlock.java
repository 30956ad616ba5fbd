package org.cellpilot.cellvit;

import org.cellpilot.cellvit.Layers.LayerNorm;
import org.cellpilot.cellvit.Layers.Linear;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/** A pre-norm ViT block with global multi-head self-attention over all tokens, cls included. */
final class TransformerBlock implements Layer {
    static final double LAYER_NORM_EPS = 1e-6;

    private final int heads;
    private final LayerNorm norm1;
    private final Linear qkv;
    private final Linear proj;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Linear fc2;

    TransformerBlock(Params p, int heads) {
        this.heads = heads;
        norm1 = new LayerNorm(p.child("norm1"), LAYER_NORM_EPS);
        qkv = new Linear(p.child("attn.qkv"));
        proj = new Linear(p.child("attn.proj"));
        norm2 = new LayerNorm(p.child("norm2"), LAYER_NORM_EPS);
        fc1 = new Linear(p.child("mlp.fc1"));
        fc2 = new Linear(p.child("mlp.fc2"));
    }

    @Override
    public Tensor forward(Tensor x) {
        try (Scope scope = Scope.open()) {
            Tensor h = Ops.add(x, attention(norm1.forward(x)));
            return scope.keep(Ops.add(h, fc2.forward(Ops.gelu(fc1.forward(norm2.forward(h))))));
        }
    }

    private Tensor attention(Tensor x) {
        long b = x.size(0);
        long n = x.size(1);
        long c = x.size(2);
        // [B, N, 3·C] -> [3, B, heads, N, C/heads]
        Tensor qkvHeads = Ops.permute(Ops.reshape(qkv.forward(x), b, n, 3, heads, c / heads), 2, 0, 3, 1, 4);
        Tensor attended = Ops.scaledDotProductAttention(Ops.select(qkvHeads, 0, 0), Ops.select(qkvHeads, 0, 1),
                Ops.select(qkvHeads, 0, 2), null, Double.NaN);
        return proj.forward(Ops.reshape(Ops.transpose(attended, 1, 2), b, n, c));
    }
}
