package org.cellpilot.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.SafetensorsWriter;
import org.cellpilot.torch.checkpoint.TorchZipWriter;

/**
 * Random SAM weights in Meta's layout at full ViT-B size (speed does not depend on the values), written once
 * per JVM as safetensors and as a torch.save zip.
 */
final class SamFixture {
    /** ViT-B: embed 768, depth 12, 12 heads, windows of 14, global blocks 2, 5, 8, 11. */
    static final int EMBED = 768;
    static final int DEPTH = 12;
    static final int GRID = 64;
    static final int WINDOW = 14;
    static final int HEAD_DIM = 64;
    static final int OUT = 256;
    static final int[] GLOBAL = {2, 5, 8, 11};

    private SamFixture() {
    }

    static Map<String, long[]> shapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("image_encoder.patch_embed.proj.weight", new long[] {EMBED, 3, 16, 16});
        s.put("image_encoder.patch_embed.proj.bias", new long[] {EMBED});
        s.put("image_encoder.pos_embed", new long[] {1, GRID, GRID, EMBED});
        for (int i = 0; i < DEPTH; i++) {
            String b = "image_encoder.blocks." + i + ".";
            int block = i;
            boolean global = java.util.Arrays.stream(GLOBAL).anyMatch(g -> g == block);
            long rel = 2L * (global ? GRID : WINDOW) - 1;
            for (String n : new String[] {"norm1", "norm2"}) {
                s.put(b + n + ".weight", new long[] {EMBED});
                s.put(b + n + ".bias", new long[] {EMBED});
            }
            s.put(b + "attn.qkv.weight", new long[] {3 * EMBED, EMBED});
            s.put(b + "attn.qkv.bias", new long[] {3 * EMBED});
            s.put(b + "attn.proj.weight", new long[] {EMBED, EMBED});
            s.put(b + "attn.proj.bias", new long[] {EMBED});
            s.put(b + "attn.rel_pos_h", new long[] {rel, HEAD_DIM});
            s.put(b + "attn.rel_pos_w", new long[] {rel, HEAD_DIM});
            s.put(b + "mlp.lin1.weight", new long[] {4 * EMBED, EMBED});
            s.put(b + "mlp.lin1.bias", new long[] {4 * EMBED});
            s.put(b + "mlp.lin2.weight", new long[] {EMBED, 4 * EMBED});
            s.put(b + "mlp.lin2.bias", new long[] {EMBED});
        }
        s.put("image_encoder.neck.0.weight", new long[] {OUT, EMBED, 1, 1});
        s.put("image_encoder.neck.1.weight", new long[] {OUT});
        s.put("image_encoder.neck.1.bias", new long[] {OUT});
        s.put("image_encoder.neck.2.weight", new long[] {OUT, OUT, 3, 3});
        s.put("image_encoder.neck.3.weight", new long[] {OUT});
        s.put("image_encoder.neck.3.bias", new long[] {OUT});
        s.put("prompt_encoder.pe_layer.positional_encoding_gaussian_matrix", new long[] {2, OUT / 2});
        for (int i = 0; i < 4; i++) {
            s.put("prompt_encoder.point_embeddings." + i + ".weight", new long[] {1, OUT});
        }
        s.put("prompt_encoder.not_a_point_embed.weight", new long[] {1, OUT});
        s.put("prompt_encoder.no_mask_embed.weight", new long[] {1, OUT});
        long[][] down = {{4, 1, 2, 2}, {4}, {16, 4, 2, 2}, {16}, {OUT, 16, 1, 1}};
        int[] downIndex = {0, 1, 3, 4, 6};
        for (int k = 0; k < down.length; k++) {
            String n = "prompt_encoder.mask_downscaling." + downIndex[k] + ".";
            s.put(n + "weight", down[k]);
            s.put(n + "bias", new long[] {down[k][0]});
        }
        for (int l = 0; l < 2; l++) {
            String b = "mask_decoder.transformer.layers." + l + ".";
            attention(s, b + "self_attn.", OUT);
            attention(s, b + "cross_attn_token_to_image.", OUT / 2);
            attention(s, b + "cross_attn_image_to_token.", OUT / 2);
            for (int n = 1; n <= 4; n++) {
                s.put(b + "norm" + n + ".weight", new long[] {OUT});
                s.put(b + "norm" + n + ".bias", new long[] {OUT});
            }
            s.put(b + "mlp.lin1.weight", new long[] {2048, OUT});
            s.put(b + "mlp.lin1.bias", new long[] {2048});
            s.put(b + "mlp.lin2.weight", new long[] {OUT, 2048});
            s.put(b + "mlp.lin2.bias", new long[] {OUT});
        }
        attention(s, "mask_decoder.transformer.final_attn_token_to_image.", OUT / 2);
        s.put("mask_decoder.transformer.norm_final_attn.weight", new long[] {OUT});
        s.put("mask_decoder.transformer.norm_final_attn.bias", new long[] {OUT});
        s.put("mask_decoder.iou_token.weight", new long[] {1, OUT});
        s.put("mask_decoder.mask_tokens.weight", new long[] {4, OUT});
        s.put("mask_decoder.output_upscaling.0.weight", new long[] {OUT, OUT / 4, 2, 2});
        s.put("mask_decoder.output_upscaling.0.bias", new long[] {OUT / 4});
        s.put("mask_decoder.output_upscaling.1.weight", new long[] {OUT / 4});
        s.put("mask_decoder.output_upscaling.1.bias", new long[] {OUT / 4});
        s.put("mask_decoder.output_upscaling.3.weight", new long[] {OUT / 4, OUT / 8, 2, 2});
        s.put("mask_decoder.output_upscaling.3.bias", new long[] {OUT / 8});
        for (int i = 0; i < 4; i++) {
            mlp(s, "mask_decoder.output_hypernetworks_mlps." + i + ".layers.", OUT / 8);
        }
        mlp(s, "mask_decoder.iou_prediction_head.layers.", 4);
        return s;
    }

    private static void attention(Map<String, long[]> s, String p, int internal) {
        for (String n : new String[] {"q_proj", "k_proj", "v_proj"}) {
            s.put(p + n + ".weight", new long[] {internal, OUT});
            s.put(p + n + ".bias", new long[] {internal});
        }
        s.put(p + "out_proj.weight", new long[] {OUT, internal});
        s.put(p + "out_proj.bias", new long[] {OUT});
    }

    private static void mlp(Map<String, long[]> s, String p, int out) {
        s.put(p + "0.weight", new long[] {OUT, OUT});
        s.put(p + "0.bias", new long[] {OUT});
        s.put(p + "1.weight", new long[] {OUT, OUT});
        s.put(p + "1.bias", new long[] {OUT});
        s.put(p + "2.weight", new long[] {out, OUT});
        s.put(p + "2.bias", new long[] {out});
    }

    /** Writes the random ViT-B checkpoint as {@code sam_vit_b.safetensors} and {@code sam_vit_b.pth} under {@code dir}. */
    static Path[] write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path st = dir.resolve("sam_vit_b.safetensors");
        Path pth = dir.resolve("sam_vit_b.pth");
        if (Files.exists(st) && Files.exists(pth)) {
            return new Path[] {st, pth};
        }
        SplittableRandom random = new SplittableRandom(42);
        try (Scope scope = Scope.open()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            shapes().forEach((name, shape) -> tensors.put(name, Fixtures.random(random, shape)));
            SafetensorsWriter.write(st, tensors);
            TorchZipWriter.write(pth, tensors);
        }
        return new Path[] {st, pth};
    }
}
