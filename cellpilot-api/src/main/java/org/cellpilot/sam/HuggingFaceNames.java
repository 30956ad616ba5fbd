package org.cellpilot.sam;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps Hugging Face {@code SamModel} parameter names to Meta's {@code segment_anything} names. */
final class HuggingFaceNames {
    private HuggingFaceNames() {
    }

    private static final String[][] RULES = {
        {"vision_encoder\\.patch_embed\\.projection\\.", "image_encoder.patch_embed.proj."},
        {"vision_encoder\\.pos_embed", "image_encoder.pos_embed"},
        {"vision_encoder\\.layers\\.(\\d+)\\.layer_norm(\\d)\\.", "image_encoder.blocks.$1.norm$2."},
        {"vision_encoder\\.layers\\.(\\d+)\\.", "image_encoder.blocks.$1."},
        {"vision_encoder\\.neck\\.conv1\\.", "image_encoder.neck.0."},
        {"vision_encoder\\.neck\\.layer_norm1\\.", "image_encoder.neck.1."},
        {"vision_encoder\\.neck\\.conv2\\.", "image_encoder.neck.2."},
        {"vision_encoder\\.neck\\.layer_norm2\\.", "image_encoder.neck.3."},
        {"prompt_encoder\\.shared_embedding\\.positional_embedding", "prompt_encoder.pe_layer.positional_encoding_gaussian_matrix"},
        {"shared_image_embedding\\.positional_embedding", "prompt_encoder.pe_layer.positional_encoding_gaussian_matrix"},
        {"prompt_encoder\\.point_embed\\.(\\d+)\\.", "prompt_encoder.point_embeddings.$1."},
        {"prompt_encoder\\.mask_embed\\.conv1\\.", "prompt_encoder.mask_downscaling.0."},
        {"prompt_encoder\\.mask_embed\\.layer_norm1\\.", "prompt_encoder.mask_downscaling.1."},
        {"prompt_encoder\\.mask_embed\\.conv2\\.", "prompt_encoder.mask_downscaling.3."},
        {"prompt_encoder\\.mask_embed\\.layer_norm2\\.", "prompt_encoder.mask_downscaling.4."},
        {"prompt_encoder\\.mask_embed\\.conv3\\.", "prompt_encoder.mask_downscaling.6."},
        {"mask_decoder\\.transformer\\.layers\\.(\\d+)\\.layer_norm(\\d)\\.", "mask_decoder.transformer.layers.$1.norm$2."},
        {"mask_decoder\\.transformer\\.layer_norm_final_attn\\.", "mask_decoder.transformer.norm_final_attn."},
        {"mask_decoder\\.upscale_conv1\\.", "mask_decoder.output_upscaling.0."},
        {"mask_decoder\\.upscale_layer_norm\\.", "mask_decoder.output_upscaling.1."},
        {"mask_decoder\\.upscale_conv2\\.", "mask_decoder.output_upscaling.3."},
    };
    private static final Pattern[] PATTERNS = new Pattern[RULES.length];

    static {
        for (int i = 0; i < RULES.length; i++) {
            PATTERNS[i] = Pattern.compile("^" + RULES[i][0]);
        }
    }

    /** HF's MLP: proj_in, layers.0..n-3, proj_out — Meta's layers.0..n-1. SAM's heads have 3 layers. */
    private static final Pattern MLP = Pattern.compile(
            "^(mask_decoder\\.(?:output_hypernetworks_mlps\\.\\d+|iou_prediction_head))\\.(proj_in|layers\\.(\\d+)|proj_out)\\.(.*)$");
    private static final int SAM_MLP_LAYERS = 3;

    /** Meta's name for {@code hf}, or null for a tensor that has no counterpart (such as a duplicate). */
    static String toMeta(String hf) {
        Matcher mlp = MLP.matcher(hf);
        if (mlp.matches()) {
            int layer = mlp.group(2).equals("proj_in") ? 0
                    : mlp.group(2).equals("proj_out") ? SAM_MLP_LAYERS - 1 : Integer.parseInt(mlp.group(3)) + 1;
            return mlp.group(1) + ".layers." + layer + "." + mlp.group(4);
        }
        for (int i = 0; i < RULES.length; i++) {
            Matcher m = PATTERNS[i].matcher(hf);
            if (m.find()) {
                return m.replaceFirst(RULES[i][1]);
            }
        }
        return hf.startsWith("prompt_encoder.") || hf.startsWith("mask_decoder.") ? hf : null;
    }
}
