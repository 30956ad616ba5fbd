package org.cellpilot.sam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cellpilot.nn.Layers;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * SAM's ViT image encoder ({@code ImageEncoderViT}): patch embedding, absolute positions, transformer blocks
 * with windowed or global attention, and the convolutional neck. Every dimension comes from the weights:
 * embed dim and patch size from the patch projection, the token grid from {@code pos_embed}, each block's
 * window from the length of its relative-position table (2·window − 1; a table as long as the grid means
 * global attention), heads from {@code embed_dim / rel_pos_h.shape[1]}.
 */
public final class ImageEncoder implements AutoCloseable {
    private static final double NECK_EPS = 1e-6;

    private final Weights w;
    private final int patchSize;
    private final int grid;
    private final int embedDim;
    private final List<EncoderBlock> blocks = new ArrayList<>();
    private final int[] globalBlocks;

    /**
     * @param w the weights under {@code image_encoder.} (SAM) or {@code encoder.} (CellViT-SAM); they stay the
     *          caller's, while the tables derived from them are the encoder's until {@link #close()}
     */
    public ImageEncoder(Weights w) {
        this.w = w;
        // The configuration comes from these two tensors; every other shape follows from it.
        long[] proj = w.shape("patch_embed.proj.weight");
        this.embedDim = (int) proj[0];
        this.patchSize = proj.length > 2 ? (int) proj[2] : 0;
        w.get("patch_embed.proj.weight", embedDim, 3, patchSize, patchSize);
        long[] pos = w.shape("pos_embed");
        this.grid = pos.length > 1 ? (int) pos[1] : 0;
        w.get("pos_embed", 1, grid, grid, embedDim);
        int depth = w.count("blocks");
        if (depth == 0) {
            throw new IllegalArgumentException("no image_encoder.blocks.N in " + w.source());
        }
        w.get("patch_embed.proj.bias", embedDim);
        long out = w.shape("neck.0.weight")[0];
        w.get("neck.0.weight", out, embedDim, 1, 1);
        w.expectNorm("neck.1", out);
        w.get("neck.2.weight", out, out, 3, 3);
        w.expectNorm("neck.3", out);
        List<Integer> global = new ArrayList<>();
        try {
            for (int i = 0; i < depth; i++) {
                Weights bw = w.at("blocks." + i + ".");
                int table = (int) bw.shape("attn.rel_pos_h")[0];
                int side = (table + 1) / 2;
                int window = side >= grid ? 0 : side;
                if (window == 0) {
                    global.add(i);
                }
                blocks.add(new EncoderBlock(bw, embedDim, grid, window));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.globalBlocks = global.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The input side the encoder expects (1024 for SAM ViT-B). */
    public int imageSize() {
        return grid * patchSize;
    }

    public int patchSize() {
        return patchSize;
    }

    /** The embedding side (64 for SAM ViT-B). */
    public int embeddingSize() {
        return grid;
    }

    public int embedDim() {
        return embedDim;
    }

    public int depth() {
        return blocks.size();
    }

    public int heads() {
        return blocks.get(0).heads();
    }

    public int outChannels() {
        return (int) w.shape("neck.0.weight")[0];
    }

    public int[] globalBlocks() {
        return globalBlocks.clone();
    }

    /** x: preprocessed [B, 3, img, img] → embedding [B, out_chans, grid, grid]. */
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(2) != imageSize() || x.size(3) != imageSize()) {
            throw new IllegalArgumentException("image encoder input must be [B, 3, " + imageSize() + ", " + imageSize()
                    + "], got " + Arrays.toString(x.shape()));
        }
        return forward(x, null);
    }

    /**
     * The encoder as CellViT-SAM runs it ({@code ViTCellViTDeit.forward}), on any square input whose side is a
     * multiple of the patch size and at most {@link #imageSize()}: the position embedding is cropped to the token
     * grid, not resampled, and global blocks resample their relative positions to it. Returns the neck output
     * [B, out_chans, side/patch, side/patch]; {@code globalBlockOutputs}, unless null, receives the output of every
     * global block, shallowest first, as NHWC tokens [B, side/patch, side/patch, embed_dim].
     */
    public Tensor forward(Tensor x, List<Tensor> globalBlockOutputs) {
        long side = x.dim() == 4 ? x.size(2) : -1;
        if (x.dim() != 4 || x.size(1) != 3 || x.size(3) != side || side % patchSize != 0 || side > imageSize() || side == 0) {
            throw new IllegalArgumentException("image encoder input must be [B, 3, S, S] with S a multiple of " + patchSize
                    + " up to " + imageSize() + ", got " + Arrays.toString(x.shape()));
        }
        try (Scope scope = Scope.open()) {
            List<Tensor> taps = globalBlockOutputs == null ? null : new ArrayList<>();
            Tensor out = neck(blocksForward(patchEmbed(x), taps));
            if (taps != null) {
                taps.forEach(t -> globalBlockOutputs.add(scope.keep(t)));
            }
            return scope.keep(out);
        }
    }

    /** Patch projection to NHWC tokens, plus the absolute positional embedding cropped to their grid. */
    private Tensor patchEmbed(Tensor x) {
        Tensor tokens = Ops.permute(Layers.conv2d(x, w, "patch_embed.proj", patchSize, 0), 0, 2, 3, 1);
        long side = tokens.size(1);
        Tensor pos = w.get("pos_embed");
        if (side != grid) {
            pos = Ops.slice(Ops.slice(pos, 1, 0, side), 2, 0, side);
        }
        return Ops.contiguous(Ops.add(tokens, pos));
    }

    /**
     * Runs every block, freeing each block's input as soon as the next exists. {@code taps}, if not null,
     * receives the output of each global block, which is then kept alive.
     */
    private Tensor blocksForward(Tensor x, List<Tensor> taps) {
        Tensor h = x;
        int g = 0;
        for (int i = 0; i < blocks.size(); i++) {
            Tensor next = blocks.get(i).forward(h);
            boolean tapped = taps != null && g < globalBlocks.length && globalBlocks[g] == i;
            if (tapped) {
                taps.add(next);
                g++;
            }
            if (h != x && !(taps != null && taps.contains(h))) {
                h.close();
            }
            h = next;
        }
        return h;
    }

    private Tensor neck(Tensor tokens) {
        Tensor x = Ops.permute(tokens, 0, 3, 1, 2);
        x = Layers.layerNorm2d(Layers.conv2d(x, w, "neck.0", 1, 0), w, "neck.1", NECK_EPS);
        x = Layers.layerNorm2d(Layers.conv2d(x, w, "neck.2", 1, 1), w, "neck.3", NECK_EPS);
        return Ops.contiguous(x);
    }

    @Override
    public void close() {
        for (EncoderBlock b : blocks) {
            b.close();
        }
    }
}
