package org.cellpilot.cellvit;

import java.util.ArrayList;
import java.util.List;
import org.cellpilot.nn.Layers;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * The HIPT ViT-256 encoder of CellViT-256 (a DINO ViT-S/16, {@code ViTCellViT} in the reference): patch tokens
 * behind a cls token, a position embedding trained on a 14×14 grid and resampled to the input's, global-attention
 * blocks, and a tissue classifier on the normalised cls token.
 */
final class VisionTransformer256 implements CellVitEncoder {
    /** ViT-S: the checkpoint's shapes cannot tell the head count. */
    static final int DEFAULT_HEADS = 6;
    /** Skips are the block outputs at the quarter depths (blocks 3, 6, 9, 12 of 12). */
    private static final int SKIPS = 4;

    private final Weights w;
    private final int patchSize;
    private final List<TransformerBlock> blocks = new ArrayList<>();

    /** @param w the weights under {@code encoder.} */
    VisionTransformer256(Weights w, int heads) {
        this.w = w;
        long[] cls = w.shape("cls_token");
        long dim = cls[cls.length - 1];
        w.get("cls_token", 1, 1, dim);
        if (heads <= 0 || dim % heads != 0) {
            throw new IllegalArgumentException("embedding width " + dim + " does not split into " + heads + " heads");
        }
        long[] proj = w.shape("patch_embed.proj.weight");
        patchSize = proj.length > 2 ? (int) proj[2] : 0;
        w.expectLayer("patch_embed.proj", dim, 3, patchSize, patchSize);
        long[] pos = w.shape("pos_embed");
        w.get("pos_embed", 1, pos.length > 1 ? pos[1] : 0, dim);
        w.expectNorm("norm", dim);
        w.expectLayer("head", w.shape("head.weight")[0], dim);
        int depth = w.count("blocks");
        if (depth == 0 || depth % SKIPS != 0) {
            throw new IllegalArgumentException("encoder depth " + depth + " is not a positive multiple of " + SKIPS
                    + ", so its skip layers are unknown");
        }
        for (int i = 0; i < depth; i++) {
            blocks.add(new TransformerBlock(w.at("blocks." + i + "."), heads, dim));
        }
    }

    @Override
    public int patchSize() {
        return patchSize;
    }

    @Override
    public Encoding encode(Tensor input) {
        try (Scope scope = Scope.open()) {
            long rows = input.size(2) / patchSize();
            long cols = input.size(3) / patchSize();
            Tensor patches = Ops.transpose(Ops.flatten(Layers.conv2d(input, w, "patch_embed.proj", patchSize, 0), 2, 3), 1, 2);
            Tensor x = Ops.cat(1, Ops.expand(w.get("cls_token"), input.size(0), -1, -1), patches);
            x = Ops.add(x, positionEmbedding(rows, cols));
            Tensor[] z = new Tensor[SKIPS];
            int every = blocks.size() / SKIPS;
            for (int i = 0; i < blocks.size(); i++) {
                x = blocks.get(i).forward(x);
                if ((i + 1) % every == 0) {
                    z[i / every] = tokenGrid(x, rows, cols);
                }
            }
            Tensor normed = Layers.layerNorm(x, w, "norm", TransformerBlock.LAYER_NORM_EPS);
            Tensor tissueTypes = Layers.linear(Ops.select(normed, 1, 0), w, "head");
            return new Encoding(scope.keep(tissueTypes), scope.keep(z[0]), scope.keep(z[1]), scope.keep(z[2]),
                    scope.keep(z[3]));
        }
    }

    /**
     * DINO's {@code interpolate_pos_encoding}: the patch entries resampled bicubically to the token grid. The
     * reference passes scale factors, not a size, and adds 0.1 to the grid so that the output size survives
     * floating-point rounding; the factors also set the sampling positions, so they are reproduced exactly.
     */
    private Tensor positionEmbedding(long rows, long cols) {
        Tensor posEmbed = w.get("pos_embed");
        long trained = posEmbed.size(1) - 1;
        if (rows * cols == trained && rows == cols) {
            return posEmbed;
        }
        long dim = posEmbed.size(2);
        double side = Math.sqrt(trained);
        long grid = (long) side;
        Tensor patchEntries = Ops.permute(Ops.reshape(Ops.slice(posEmbed, 1, 1, trained + 1), 1, grid, grid, dim), 0, 3, 1, 2);
        Tensor resampled = Ops.upsampleBicubicScale(patchEntries, (rows + 0.1) / side, (cols + 0.1) / side, false);
        if (resampled.size(2) != rows || resampled.size(3) != cols) {
            throw new IllegalStateException("position embedding resampled to " + resampled.size(2) + "×" + resampled.size(3)
                    + " for a " + rows + "×" + cols + " token grid");
        }
        Tensor tokens = Ops.reshape(Ops.permute(resampled, 0, 2, 3, 1), 1, rows * cols, dim);
        return Ops.cat(1, Ops.slice(posEmbed, 1, 0, 1), tokens);
    }

    /** Drops the cls token and lays the patch tokens out as a {@code [B, C, rows, cols]} feature map. */
    private static Tensor tokenGrid(Tensor x, long rows, long cols) {
        return Ops.reshape(Ops.transpose(Ops.slice(x, 1, 1, x.size(1)), 1, 2), x.size(0), x.size(2), rows, cols);
    }
}
