package org.cellpilot.sam;

import org.cellpilot.torch.testing.NativeStderr;
import org.cellpilot.torch.testing.NoTensorLeaks;
import static org.cellpilot.testing.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.SafetensorsWriter;
import org.cellpilot.torch.checkpoint.StateDict;
import org.cellpilot.torch.checkpoint.TorchZipWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint layouts other than Meta's, and checkpoints that are wrong. */
@ExtendWith(NoTensorLeaks.class)
class SamCheckpointTest {
    @TempDir
    Path tmp;

    /** Meta's name → Hugging Face's, written from convert_sam_to_hf.py's table independently of the loader. */
    static String toHuggingFace(String meta) {
        String[][] rules = {
            {"^image_encoder\\.patch_embed\\.proj\\.", "vision_encoder.patch_embed.projection."},
            {"^image_encoder\\.blocks\\.(\\d+)\\.norm(\\d)\\.", "vision_encoder.layers.$1.layer_norm$2."},
            {"^image_encoder\\.blocks\\.", "vision_encoder.layers."},
            {"^image_encoder\\.neck\\.0\\.", "vision_encoder.neck.conv1."},
            {"^image_encoder\\.neck\\.1\\.", "vision_encoder.neck.layer_norm1."},
            {"^image_encoder\\.neck\\.2\\.", "vision_encoder.neck.conv2."},
            {"^image_encoder\\.neck\\.3\\.", "vision_encoder.neck.layer_norm2."},
            {"^image_encoder\\.", "vision_encoder."},
            {"^prompt_encoder\\.pe_layer\\.positional_encoding_gaussian_matrix", "prompt_encoder.shared_embedding.positional_embedding"},
            {"^prompt_encoder\\.point_embeddings\\.", "prompt_encoder.point_embed."},
            {"^prompt_encoder\\.mask_downscaling\\.0\\.", "prompt_encoder.mask_embed.conv1."},
            {"^prompt_encoder\\.mask_downscaling\\.1\\.", "prompt_encoder.mask_embed.layer_norm1."},
            {"^prompt_encoder\\.mask_downscaling\\.3\\.", "prompt_encoder.mask_embed.conv2."},
            {"^prompt_encoder\\.mask_downscaling\\.4\\.", "prompt_encoder.mask_embed.layer_norm2."},
            {"^prompt_encoder\\.mask_downscaling\\.6\\.", "prompt_encoder.mask_embed.conv3."},
            {"^(mask_decoder\\.transformer\\.layers\\.\\d+)\\.norm(\\d)\\.", "$1.layer_norm$2."},
            {"^mask_decoder\\.transformer\\.norm_final_attn\\.", "mask_decoder.transformer.layer_norm_final_attn."},
            {"^mask_decoder\\.output_upscaling\\.0\\.", "mask_decoder.upscale_conv1."},
            {"^mask_decoder\\.output_upscaling\\.1\\.", "mask_decoder.upscale_layer_norm."},
            {"^mask_decoder\\.output_upscaling\\.3\\.", "mask_decoder.upscale_conv2."},
            {"^(mask_decoder\\.(output_hypernetworks_mlps\\.\\d+|iou_prediction_head))\\.layers\\.0\\.", "$1.proj_in."},
            {"^(mask_decoder\\.(output_hypernetworks_mlps\\.\\d+|iou_prediction_head))\\.layers\\.2\\.", "$1.proj_out."},
            {"^(mask_decoder\\.(output_hypernetworks_mlps\\.\\d+|iou_prediction_head))\\.layers\\.1\\.", "$1.layers.0."},
        };
        for (String[] r : rules) {
            String renamed = meta.replaceFirst(r[0], r[1]);
            if (!renamed.equals(meta)) {
                return renamed;
            }
        }
        return meta;
    }

    /** Writes the golden weights under new names (null drops a tensor) and, optionally, replaces one. */
    private Path rewrite(String name, UnaryOperator<String> rename, String replaceKey, Tensor replacement) {
        StateDict sd = StateDict.load(Golden.dir("sam_tiny").resolve("weights.safetensors"));
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (Scope scope = Scope.open()) {
            for (String k : sd.keys()) {
                String n = rename.apply(k);
                if (n != null) {
                    out.put(n, k.equals(replaceKey) ? replacement : sd.get(k));
                }
            }
            Path file = tmp.resolve(name);
            SafetensorsWriter.write(file, out);
            out.values().forEach(Tensor::close);
            return file;
        }
    }

    @Test
    void huggingFaceLayoutGivesTheSameModel() {
        Path hf = rewrite("hf.safetensors", SamCheckpointTest::toHuggingFace, null, null);
        StateDict golden = StateDict.load(Golden.dir("sam_tiny").resolve("golden.safetensors"));
        try (SamModel model = SamModel.load(hf, 2);
             Tensor image = golden.get("image");
             SamPredictor p = model.predictor(image.toByteArray(), (int) image.size(1), (int) image.size(0));
             Tensor embedding = golden.get("image_embedding");
             Tensor logits = golden.get("box/low_res_logits");
             SamPredictor.Prediction out = p.predict(SamPrompt.box(40, 30, 220, 170), false)) {
            assertTrue(model.huggingFaceLayout());
            assertClose("image_embedding", p.embedding(), embedding);
            assertClose("box/low_res_logits", out.lowResLogits, logits);
        }
    }

    @Test
    void huggingFaceLayoutSelectsItsDecoderLayerNormEps() {
        Path hf = rewrite("hf.safetensors", SamCheckpointTest::toHuggingFace, null, null);
        try (SamModel hfModel = SamModel.load(hf, 2);
             SamModel meta = SamModel.load(Golden.dir("sam_tiny").resolve("weights.safetensors"), 2)) {
            assertEquals(1e-6, hfModel.decoderBlockEps());
            assertEquals(1e-5, meta.decoderBlockEps());
            assertFalse(meta.huggingFaceLayout());
        }
    }

    @Test
    void aCellVitCheckpointIsNamedAsSuch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SamModel.load(Golden.dir("cellvit_tiny").resolve("model/weights.pth"), 2));
        assertTrue(e.getMessage().contains("CellViT checkpoint"), e.getMessage());
    }

    /** Issue 10: a bad checkpoint is named in Java, and nothing of libtorch reaches file descriptor 2 (on both backends). */
    @Test
    void missingKeysAreNamed() {
        Path file = rewrite("missing.safetensors", k -> k.equals("mask_decoder.iou_token.weight") ? null : k, null, null);
        assertEquals("", NativeStderr.of(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamModel.load(file, 2));
            assertTrue(e.getMessage().contains("mask_decoder.iou_token.weight"), e.getMessage());
        }));
    }

    @Test
    void wrongShapesAreNamed() {
        Path file = rewrite("shape.safetensors", k -> k, "image_encoder.blocks.2.norm2.weight",
                Scope.detach(Tensor.of(new float[7], 7)));
        assertEquals("", NativeStderr.of(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamModel.load(file, 2));
            assertTrue(e.getMessage().contains("image_encoder.blocks.2.norm2.weight") && e.getMessage().contains("[7]"), e.getMessage());
        }));
    }

    /** Every tensor, given one extra unit dimension (same values, same size), makes the load fail naming it. */
    @Test
    void everyTensorsShapeIsCheckedAtLoad() {
        StateDict sd = StateDict.load(Golden.dir("sam_tiny").resolve("weights.safetensors"));
        for (String key : sd.keys()) {
            long[] shape;
            float[] values;
            try (Tensor t = sd.get(key)) {
                shape = t.shape();
                values = t.toFloatArray();
            }
            long[] wrong = Arrays.copyOf(shape, shape.length + 1);
            wrong[shape.length] = 1;
            Path file = rewrite("reshaped.safetensors", k -> k, key, Scope.detach(Tensor.of(values, wrong)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamModel.load(file, 2).close(), key);
            assertTrue(e.getMessage().contains("'" + key + "'") && e.getMessage().contains(Arrays.toString(wrong))
                    && e.getMessage().contains("expected " + Arrays.toString(shape)), key + ": " + e.getMessage());
        }
    }

    @Test
    void aTransposedWeightIsNamedWithBothShapes() {
        String key = "mask_decoder.transformer.layers.1.mlp.lin2.weight";
        StateDict sd = StateDict.load(Golden.dir("sam_tiny").resolve("weights.safetensors"));
        Tensor transposed;
        try (Tensor t = sd.get(key); Scope scope = Scope.open()) {
            transposed = Scope.detach(scope.keep(Ops.contiguous(Ops.transpose(t, 0, 1))));
        }
        long[] shape = transposed.shape();
        Path file = rewrite("transposed.safetensors", k -> k, key, transposed);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamModel.load(file, 2).close());
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains("has shape " + Arrays.toString(shape))
                && e.getMessage().contains("expected [" + shape[1] + ", " + shape[0] + "]"), e.getMessage());
    }

    /**
     * A half-precision checkpoint loads, and gives exactly what float32 weights of the same values give: the
     * loader widens them. Written with the project's writers, fp16 as safetensors and bf16 as a torch zip.
     */
    @Test
    void halfPrecisionCheckpointsLoadAsFloat32() {
        StateDict sd = StateDict.load(Golden.dir("sam_tiny").resolve("weights.safetensors"));
        StateDict golden = StateDict.load(Golden.dir("sam_tiny").resolve("golden.safetensors"));
        for (DType half : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
            Map<String, Tensor> narrow = new LinkedHashMap<>();
            Map<String, Tensor> widened = new LinkedHashMap<>();
            try (Scope scope = Scope.open()) {
                for (String k : sd.keys()) {
                    try (Tensor t = sd.get(k)) {
                        Tensor h = Ops.to(t, half);
                        narrow.put(k, h);
                        widened.put(k, Ops.to(h, DType.FLOAT32));
                    }
                }
                Path halfFile = tmp.resolve(half + (half == DType.FLOAT16 ? ".safetensors" : ".pth"));
                if (half == DType.FLOAT16) {
                    SafetensorsWriter.write(halfFile, narrow);
                } else {
                    TorchZipWriter.write(halfFile, narrow);
                }
                Path floatFile = tmp.resolve(half + "-as-float32.safetensors");
                SafetensorsWriter.write(floatFile, widened);
                try (SamModel fromHalf = SamModel.load(halfFile, 2);
                     SamModel fromFloat = SamModel.load(floatFile, 2);
                     Tensor image = golden.get("image")) {
                    assertEquals(DType.FLOAT32, fromHalf.imageEncoderWeight("patch_embed.proj.weight").dtype());
                    byte[] rgb = image.toByteArray();
                    int w = (int) image.size(1);
                    int h = (int) image.size(0);
                    try (SamPredictor a = fromHalf.predictor(rgb, w, h); SamPredictor b = fromFloat.predictor(rgb, w, h);
                         SamPredictor.Prediction pa = a.predict(SamPrompt.box(40, 30, 220, 170), false);
                         SamPredictor.Prediction pb = b.predict(SamPrompt.box(40, 30, 220, 170), false)) {
                        assertArrayEquals(b.embedding().toFloatArray(), a.embedding().toFloatArray(), half + " embedding");
                        assertArrayEquals(pb.lowResLogits.toFloatArray(), pa.lowResLogits.toFloatArray(), half + " logits");
                    }
                }
            }
        }
    }

    @Test
    void decoderHeadsThatDoNotDivideTheWidthAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SamModel.load(Golden.dir("sam_tiny").resolve("weights.safetensors"), 5));
        assertTrue(e.getMessage().contains("5 heads"), e.getMessage());
    }
}
