package org.cellpilot.cellvit;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.SafetensorsWriter;
import org.cellpilot.torch.checkpoint.StateDict;

/**
 * Rewrites the full-resolution path of a CellViT checkpoint so that the network reads its maps off the image:
 * nucleus and type-1 logits from red (a pixel is nucleus where the normalised red is below 0), the horizontal map
 * from green and the vertical map from blue, except that white reads as no distance at all, as a network sees
 * nothing in the padding. {@link SyntheticNuclei#image} paints nuclei that way, so the whole detector (white
 * padding, tiles, network, post-processing, merge) can run on an image whose nuclei are known, which seeded random
 * weights could never give. Widths are read from the checkpoint.
 *
 * <p>{@code decoder0} computes four channels that its ReLUs pass unchanged: red, green and blue shifted by +1, and
 * how far red exceeds {@value #WHITE} (only white does). Each branch's header carries them and ignores the
 * upsampled encoder features; its last 1×1 convolution undoes the shift and, for the distance maps, subtracts
 * the white channel scaled to cancel white's green or blue.
 */
public final class ColourCodedDecoder {
    private static final String[] BRANCHES = {"nuclei_binary_map_decoder", "hv_map_decoder", "nuclei_type_maps_decoder"};
    /** Normalised red above this is white; the synthetic background's red (220) is below it. */
    static final float WHITE = 0.85f;
    private static final int CHANNELS = 4;
    private static final int[] IDENTITY = {0, 1, 2, 3};

    private ColourCodedDecoder() {
    }

    /** The model tensors of {@code sd} (the {@code model_state_dict} of a CellViT file), the decoder's rewritten. */
    static Weights rewrite(StateDict sd) {
        Map<String, float[]> replaced = new LinkedHashMap<>();
        block(sd, "decoder0.0", new int[] {0, 1, 2, 0}, new float[] {1, 1, 1, -WHITE}, replaced);
        float[] noShift = new float[CHANNELS];
        block(sd, "decoder0.1", IDENTITY, noShift, replaced);
        for (String branch : BRANCHES) {
            String header = branch + ".decoder0_header.";
            block(sd, header + "0", IDENTITY, noShift, replaced);
            block(sd, header + "1", IDENTITY, noShift, replaced);
            long[] shape = sd.shape(header + "2.weight");
            int in = (int) shape[1];
            float[] weight = new float[(int) (shape[0] * in)];
            float[] bias = new float[(int) shape[0]];
            if (branch.startsWith("hv")) {
                for (int map = 0; map < 2; map++) {
                    weight[map * in + 1 + map] = 1;
                    weight[map * in + 3] = -1 / (1 - WHITE);
                    bias[map] = -1;
                }
            } else {
                // Background logit = red; the nucleus (or type 1) logit stays 0.
                weight[0] = 1;
                bias[0] = -1;
            }
            replaced.put(header + "2.weight", weight);
            replaced.put(header + "2.bias", bias);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String k : sd.keys()) {
            float[] values = replaced.get(k);
            tensors.put(k, values == null ? sd.get(k) : Tensor.of(values, sd.shape(k)));
        }
        return Weights.of(tensors, sd.source() + " (colour-coded decoder)");
    }

    /** Loads {@code file}'s CellViT with the rewritten decoder. */
    static CellVit load(Path file, int encoderHeads) {
        return load(file, encoderHeads, Device.cpu());
    }

    /** The same, onto {@code device}. */
    static CellVit load(Path file, int encoderHeads, Device device) {
        return CellVit.load(rewrite(file), encoderHeads, device);
    }

    /** Writes {@code file}'s CellViT with the rewritten decoder to {@code out}, a bare state dict, for loaders of files. */
    public static Path write(Path file, Path out) {
        try (Weights w = rewrite(file)) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : w.names()) {
                tensors.put(name, w.get(name));
            }
            SafetensorsWriter.write(out, tensors);
        }
        return out;
    }

    private static Weights rewrite(Path file) {
        StateDict sd = StateDict.load(file);
        StateDict model = sd.withPrefix("model_state_dict");
        return rewrite(model.keys().isEmpty() ? sd : model);
    }

    /**
     * A Conv2DBlock whose convolution sets output channel {@code c} (of the first {@link #CHANNELS}) to input channel
     * {@code source[c]} (centre tap) plus {@code bias[c]}, and whose batch norm changes nothing.
     */
    private static void block(StateDict sd, String name, int[] source, float[] shift, Map<String, float[]> replaced) {
        String conv = name + ".block.0.";
        long[] s = sd.shape(conv + "weight");
        int out = (int) s[0];
        int in = (int) s[1];
        float[] weight = new float[out * in * 9];
        float[] bias = new float[out];
        for (int c = 0; c < CHANNELS; c++) {
            weight[(c * in + source[c]) * 9 + 4] = 1;
            bias[c] = shift[c];
        }
        replaced.put(conv + "weight", weight);
        replaced.put(conv + "bias", bias);
        String norm = name + ".block.1.";
        float[] ones = new float[out];
        Arrays.fill(ones, 1f);
        float[] variance = new float[out];
        // (x - 0) / sqrt(var + 1e-5) is x exactly when var + 1e-5 == 1.
        Arrays.fill(variance, 1f - 1e-5f);
        replaced.put(norm + "weight", ones);
        replaced.put(norm + "bias", new float[out]);
        replaced.put(norm + "running_mean", new float[out]);
        replaced.put(norm + "running_var", variance);
    }
}
