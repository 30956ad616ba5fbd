package org.cellpilot.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cellpilot.RgbImage;
import org.cellpilot.sam.SamModel;
import org.cellpilot.sam.SamPredictor;
import org.cellpilot.sam.SamPrompt;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.Json;
import org.cellpilot.torch.checkpoint.SafetensorsWriter;
import org.cellpilot.torch.checkpoint.StateDict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The parity contract: runs the prompts of a golden-style cases file and writes exactly the tensors, names,
 * dtypes and shapes of the golden files, so outputs can be compared outside the Java tests.
 */
@Command(name = "predict", description = "Run the SAM prompts of a cases.json file and write the outputs as safetensors.")
final class PredictCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = "--weights", required = true, description = "SAM checkpoint (.pth, .ckpt or .safetensors).")
    Path weights;

    @Option(names = "--image", required = true, description = "8-bit PNG image.")
    Path image;

    @Option(names = "--cases", required = true, description = "Cases file in the format of shared/golden/*/cases.json.")
    Path cases;

    @Option(names = "--inputs", description = "Safetensors file with the tensors that cases name as mask_input.")
    Path inputs;

    @Option(names = "--out", required = true, description = "Output safetensors file.")
    Path out;

    @Mixin
    DecoderHeadsOption decoderHeads;

    @Mixin
    DeviceOption device;

    /**
     * One case of the file, checked before any native call: batched boxes, or points/labels/box with an optional
     * mask_input name.
     */
    private record Case(String name, double[][] boxes, double[][] points, int[] labels, double[] box, String maskInput,
            boolean multimask) {
        /** The case's prompts: one per box of a batched case, else one with {@code mask} as its mask input. */
        List<SamPrompt> prompts(Tensor mask) {
            List<SamPrompt> out = new ArrayList<>();
            if (boxes != null) {
                for (double[] b : boxes) {
                    out.add(new SamPrompt(null, null, b, null));
                }
            } else {
                out.add(new SamPrompt(points, labels, box, mask));
            }
            return out;
        }

        /** A case given only a mask input has no points or box to check. */
        boolean hasGeometry() {
            return boxes != null || points != null || box != null || maskInput == null;
        }
    }

    @Override
    public Integer call() throws IOException {
        RgbImage rgb = RgbImage.read(image);
        StateDict extra = inputs == null ? null : StateDict.load(inputs);
        List<Case> parsed = new ArrayList<>();
        for (Map<String, Object> c : readCases(cases)) {
            parsed.add(parse(c, rgb, extra));
        }
        try (SamModel model = SamModel.load(StateDict.load(weights), decoderHeads.heads, SamModel.EncoderPrecision.FLOAT32, device.get());
             SamPredictor predictor = model.predictor(rgb.toBytes(), rgb.width(), rgb.height())) {
            Map<String, Tensor> results = new LinkedHashMap<>();
            List<SamPredictor.Prediction> made = new ArrayList<>();
            List<Tensor> opened = new ArrayList<>();
            results.put("image_embedding", predictor.embedding());
            for (Case c : parsed) {
                Tensor mask = c.boxes == null && c.maskInput != null ? extra.get(c.maskInput) : null;
                if (mask != null) {
                    opened.add(mask);
                }
                List<SamPrompt> prompts = c.prompts(mask);
                SamPredictor.Prediction p = c.boxes != null ? predictor.predictBatch(prompts, c.multimask)
                        : predictor.predict(prompts.get(0), c.multimask);
                results.put(c.name + "/masks", p.masks);
                results.put(c.name + "/iou", p.iou);
                results.put(c.name + "/low_res_logits", p.lowResLogits);
                made.add(p);
            }
            SafetensorsWriter.write(out, results);
            made.forEach(SamPredictor.Prediction::close);
            opened.forEach(Tensor::close);
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> readCases(Path file) throws IOException {
        Object root = Json.parse(Files.readString(file));
        if (!(root instanceof Map) || !(((Map<String, Object>) root).get("cases") instanceof List)) {
            throw new IllegalArgumentException("invalid cases file " + file + ": expected an object with a \"cases\" list");
        }
        return (List<Map<String, Object>>) ((Map<String, Object>) root).get("cases");
    }

    private static Case parse(Map<String, Object> c, RgbImage image, StateDict extra) {
        Object nameValue = c.get("name");
        if (!(nameValue instanceof String) || ((String) nameValue).isEmpty()) {
            throw new IllegalArgumentException("invalid case: every case needs a \"name\"");
        }
        String name = (String) nameValue;
        try {
            String mask = (String) c.get("mask_input");
            if (mask != null && (extra == null || !extra.contains(mask))) {
                throw new IllegalArgumentException("mask_input '" + mask + "' is not in --inputs");
            }
            Case parsed = new Case(name, Json.rows(c.get("boxes")), Json.rows(c.get("point_coords")), Json.ints(c.get("point_labels")),
                    c.containsKey("box") ? Json.doubles(c.get("box")) : null, mask, Boolean.TRUE.equals(c.get("multimask_output")));
            if (parsed.hasGeometry()) {
                for (SamPrompt p : parsed.prompts(null)) {
                    p.checkInside(image.width(), image.height());
                }
            }
            return parsed;
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("invalid case " + name + ": " + e.getMessage(), e);
        }
    }
}
