package org.cellpilot.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;
import org.cellpilot.torch.checkpoint.TorchZipWriter;

/**
 * Random CellViT-256 weights at full size, in the layout of the official checkpoint. The golden tiny model has the
 * same layers with the encoder at 48 (12 blocks → 4) and every decoder width divided by 8, so its keys and shapes,
 * scaled back, are the full model's.
 */
final class CellVitFixture {
    static final int EMBED = 384;
    static final int DEPTH = 12;
    private static final int TINY_EMBED = 48;

    private CellVitFixture() {
    }

    /** Tiny size → full size, for widths only (kernel sizes, RGB input and class counts are kept). */
    private static long scale(long tiny, boolean encoder) {
        if (tiny == TINY_EMBED || tiny == 3L * TINY_EMBED || tiny == 4L * TINY_EMBED) {
            return tiny / TINY_EMBED * EMBED;
        }
        if (encoder) {
            return tiny;
        }
        // Decoder widths 4, 8, 16, 32, 39 (bottleneck), 64 and 78 (concatenations) are 32 … 624 divided by 8.
        return switch ((int) tiny) {
            case 4, 8, 16, 32, 39, 64, 78 -> tiny * 8;
            default -> tiny;
        };
    }

    static Map<String, long[]> shapes(Path tinyCheckpoint) {
        StateDict tiny = StateDict.load(tinyCheckpoint).withPrefix("model_state_dict.");
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String key : tiny.keys()) {
            long[] shape = tiny.shape(key).clone();
            boolean encoder = key.startsWith("encoder.");
            boolean widths = !key.endsWith("num_batches_tracked") && !key.equals("encoder.pos_embed");
            for (int d = 0; d < shape.length && d < 2 && widths; d++) {
                shape[d] = scale(shape[d], encoder);
            }
            if (key.equals("encoder.pos_embed") || key.equals("encoder.cls_token")) {
                shape[2] = EMBED;
            }
            if (key.startsWith("encoder.blocks.0.")) {
                for (int b = 0; b < DEPTH; b++) {
                    out.put(key.replace("blocks.0.", "blocks." + b + "."), shape);
                }
            } else if (!key.startsWith("encoder.blocks.")) {
                out.put(key, shape);
            }
        }
        return out;
    }

    /** Writes {@code cellvit_256.pth} once under {@code dir}. */
    static Path write(Path dir, Path tinyCheckpoint) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("cellvit_256.pth");
        if (Files.exists(file)) {
            return file;
        }
        SplittableRandom random = new SplittableRandom(7);
        try (Scope scope = Scope.open()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            // Batch-norm variances stay 1, so that activations keep their scale through the decoder.
            shapes(tinyCheckpoint).forEach((name, shape) -> tensors.put(name, name.endsWith("running_var")
                    ? Ops.add(Tensor.zeros(DType.FLOAT32, Device.cpu(), shape), 1.0) : Fixtures.random(random, shape)));
            TorchZipWriter.write(file, tensors, "model_state_dict");
        }
        return file;
    }

    /**
     * Multiply-adds ×2 of the network on a {@code side}² tile: the ViT-256 encoder (12 blocks on side²/256 + 1
     * tokens), and every decoder convolution at the resolution it runs at (deconvolutions 2×2/2: one tap per output).
     */
    static double flops(Map<String, long[]> shapes, int side) {
        double tokens = (double) side * side / 256 + 1;
        double c = EMBED;
        double total = DEPTH * (2 * tokens * 12 * c * c + 4 * tokens * tokens * c);
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long[] s = e.getValue();
            if (e.getKey().startsWith("encoder.") || !e.getKey().endsWith("weight") || s.length != 4) {
                continue;
            }
            double out = outputSide(e.getKey(), side);
            boolean deconv = e.getKey().contains("bottleneck_upsampler") || deconvolution(e.getKey());
            double taps = deconv ? 1 : s[2] * s[3];
            total += 2 * out * out * s[0] * s[1] * taps;
        }
        return total;
    }

    private static boolean deconvolution(String key) {
        return key.matches(".*(decoder[123]\\.\\d+\\.block\\.0|decoder3_upsampler\\.3|decoder2_upsampler\\.2|decoder1_upsampler\\.2)\\.weight");
    }

    /** The side of a layer's output for a {@code side}² tile (UNETR: the grid is side/16, doubled per up-step). */
    private static double outputSide(String key, int side) {
        double grid = side / 16.0;
        if (key.startsWith("decoder0.") || key.contains("decoder0_header")) {
            return side;
        }
        if (key.contains("decoder1_upsampler")) {
            return key.contains("upsampler.2.") ? side : side / 2.0;
        }
        if (key.contains("decoder2_upsampler")) {
            return key.contains("upsampler.2.") ? side / 2.0 : side / 4.0;
        }
        if (key.contains("decoder3_upsampler")) {
            return key.contains("upsampler.3.") ? side / 4.0 : side / 8.0;
        }
        if (key.contains("bottleneck_upsampler")) {
            return side / 8.0;
        }
        // decoder1.N / decoder2.N / decoder3.N: stage N doubles the grid N + 1 times.
        int stage = Integer.parseInt(key.replaceAll("^decoder\\d\\.(\\d+)\\..*", "$1"));
        return grid * Math.pow(2, stage + 1);
    }
}
