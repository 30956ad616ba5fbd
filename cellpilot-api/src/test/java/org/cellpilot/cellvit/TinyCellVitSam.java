package org.cellpilot.cellvit;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.TorchZipWriter;

/**
 * A seeded random CellViT-SAM in the official checkpoint layout (cellvit.md section 2), shrunk so that it runs in
 * a test: a SAM encoder for 256 px images (patch 16, embed 32, 2 heads of 16, depth 8, windows of 6 so that token
 * grids need padding, and global attention in the last block of each quarter, 1, 3, 5, 7, as SAM-B has it in 2, 5,
 * 8, 11), neck 16, and the UNETR decoder with every width scaled down but the same layers, order and
 * concatenations.
 */
final class TinyCellVitSam {
    static final int IMAGE = 256;
    static final int EMBED = 32;
    static final int HEAD_DIM = 16;
    static final int DEPTH = 8;
    static final int WINDOW = 6;
    static final int[] GLOBAL = {1, 3, 5, 7};
    static final int NECK = 16;
    static final int TISSUES = 19;
    static final int TYPES = 6;

    /** Decoder widths standing in for CellViT-SAM's 32/64 (decoder0), 128, 256, 512 (skips) and 512 (bottleneck). */
    private static final int D0A = 4;
    private static final int D0 = 6;
    private static final int W128 = 8;
    private static final int W256 = 12;
    private static final int W512 = 16;
    private static final int BOTTLENECK = 20;

    private final Random random;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private TinyCellVitSam(long seed) {
        random = new Random(seed);
    }

    /** The state dict; the caller owns the tensors. {@code globalBlocks} lets a test build a malformed encoder. */
    static Map<String, Tensor> stateDict(long seed, int[] globalBlocks) {
        TinyCellVitSam b = new TinyCellVitSam(seed);
        b.encoder(globalBlocks);
        b.linear("classifier_head", NECK, TISSUES);
        b.decoder();
        return b.tensors;
    }

    /** Writes {@link #stateDict} under {@code model_state_dict}, as CellViT's trainer saves it, and frees the tensors. */
    static Path write(Path file, long seed) {
        Map<String, Tensor> sd = stateDict(seed, GLOBAL);
        try {
            TorchZipWriter.write(file, sd, "model_state_dict");
        } finally {
            sd.values().forEach(Tensor::close);
        }
        return file;
    }

    private void encoder(int[] globalBlocks) {
        int grid = IMAGE / 16;
        put("encoder.pos_embed", 0.1, 1, grid, grid, EMBED);
        conv("encoder.patch_embed.proj", 3, EMBED, 16);
        boolean[] global = new boolean[DEPTH];
        for (int g : globalBlocks) {
            global[g] = true;
        }
        for (int i = 0; i < DEPTH; i++) {
            String b = "encoder.blocks." + i + ".";
            int table = 2 * (global[i] ? grid : WINDOW) - 1;
            norm(b + "norm1", EMBED);
            linear(b + "attn.qkv", EMBED, 3 * EMBED);
            linear(b + "attn.proj", EMBED, EMBED);
            put(b + "attn.rel_pos_h", 0.2, table, HEAD_DIM);
            put(b + "attn.rel_pos_w", 0.2, table, HEAD_DIM);
            norm(b + "norm2", EMBED);
            linear(b + "mlp.lin1", EMBED, 4 * EMBED);
            linear(b + "mlp.lin2", 4 * EMBED, EMBED);
        }
        put("encoder.neck.0.weight", 1 / Math.sqrt(EMBED), NECK, EMBED, 1, 1);
        norm("encoder.neck.1", NECK);
        put("encoder.neck.2.weight", 1 / Math.sqrt(9.0 * NECK), NECK, NECK, 3, 3);
        norm("encoder.neck.3", NECK);
    }

    private void decoder() {
        convBlock("decoder0.0", 3, D0A);
        convBlock("decoder0.1", D0A, D0);
        deconvBlock("decoder1.0", EMBED, W512);
        deconvBlock("decoder1.1", W512, W256);
        deconvBlock("decoder1.2", W256, W128);
        deconvBlock("decoder2.0", EMBED, W512);
        deconvBlock("decoder2.1", W512, W256);
        deconvBlock("decoder3.0", EMBED, BOTTLENECK);
        branch("nuclei_binary_map_decoder", 2);
        branch("hv_map_decoder", 2);
        branch("nuclei_type_maps_decoder", TYPES);
    }

    private void branch(String name, int classes) {
        transposed(name + ".bottleneck_upsampler", EMBED, BOTTLENECK);
        convBlock(name + ".decoder3_upsampler.0", 2 * BOTTLENECK, BOTTLENECK);
        convBlock(name + ".decoder3_upsampler.1", BOTTLENECK, BOTTLENECK);
        convBlock(name + ".decoder3_upsampler.2", BOTTLENECK, BOTTLENECK);
        transposed(name + ".decoder3_upsampler.3", BOTTLENECK, W256);
        convBlock(name + ".decoder2_upsampler.0", 2 * W256, W256);
        convBlock(name + ".decoder2_upsampler.1", W256, W256);
        transposed(name + ".decoder2_upsampler.2", W256, W128);
        convBlock(name + ".decoder1_upsampler.0", 2 * W128, W128);
        convBlock(name + ".decoder1_upsampler.1", W128, W128);
        transposed(name + ".decoder1_upsampler.2", W128, D0);
        convBlock(name + ".decoder0_header.0", 2 * D0, D0);
        convBlock(name + ".decoder0_header.1", D0, D0);
        conv(name + ".decoder0_header.2", D0, classes, 1);
    }

    private void convBlock(String name, int in, int out) {
        conv(name + ".block.0", in, out, 3);
        batchNorm(name + ".block.1", out);
    }

    private void deconvBlock(String name, int in, int out) {
        transposed(name + ".block.0", in, out);
        conv(name + ".block.1", out, out, 3);
        batchNorm(name + ".block.2", out);
    }

    private void conv(String name, int in, int out, int kernel) {
        put(name + ".weight", 1 / Math.sqrt((double) in * kernel * kernel), out, in, kernel, kernel);
        put(name + ".bias", 0.1, out);
    }

    private void transposed(String name, int in, int out) {
        put(name + ".weight", 1 / Math.sqrt(in), in, out, 2, 2);
        put(name + ".bias", 0.1, out);
    }

    private void linear(String name, int in, int out) {
        put(name + ".weight", 1 / Math.sqrt(in), out, in);
        put(name + ".bias", 0.1, out);
    }

    private void norm(String name, int channels) {
        tensors.put(name + ".weight", Tensor.of(around(1, 0.1, channels), channels));
        put(name + ".bias", 0.1, channels);
    }

    private void batchNorm(String name, int channels) {
        norm(name, channels);
        put(name + ".running_mean", 0.1, channels);
        tensors.put(name + ".running_var", Tensor.of(around(1, 0.2, channels), channels));
        tensors.put(name + ".num_batches_tracked", Tensor.of(new long[] {100}));
    }

    private void put(String name, double std, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        tensors.put(name, Tensor.of(around(0, std, (int) n), shape));
    }

    /** Uniform values with the given mean and standard deviation; running variances stay positive. */
    private float[] around(double mean, double std, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + std * Math.sqrt(3) * (2 * random.nextDouble() - 1));
        }
        return v;
    }
}
