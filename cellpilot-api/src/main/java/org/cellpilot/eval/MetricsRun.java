package org.cellpilot.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.torch.checkpoint.Json;

/**
 * {@code cellpilot metrics}: scores every predicted label image against the truth of the same stem and writes
 * {@code {"images": {NAME: {pq, dq, sq, aji, aji_plus, dice, f1, precision, recall, tp, fp, fn}}, "mean": {…}}},
 * where "mean" is the plain mean over images of every field, counts included.
 */
public final class MetricsRun {
    private static final List<String> LABEL_TYPES = List.of("png", "tif", "tiff");

    private MetricsRun() {
    }

    /** Scores by image stem, in name order; a file without its counterpart is an error that names it. */
    public static Map<String, InstanceMetrics.Scores> score(Path truthDir, Path predictedDir, double matchRadius) throws IOException {
        Map<String, Path> truth = Dataset.byStem(truthDir, LABEL_TYPES);
        Map<String, Path> predicted = Dataset.byStem(predictedDir, LABEL_TYPES);
        for (String name : truth.keySet()) {
            if (!predicted.containsKey(name)) {
                throw new IllegalArgumentException("truth " + truth.get(name) + " has no prediction " + name + ".png (or .tif) in " + predictedDir);
            }
        }
        for (String name : predicted.keySet()) {
            if (!truth.containsKey(name)) {
                throw new IllegalArgumentException("prediction " + predicted.get(name) + " has no truth " + name + ".png (or .tif) in " + truthDir);
            }
        }
        if (truth.isEmpty()) {
            throw new IllegalArgumentException("no label images in " + truthDir);
        }
        Map<String, InstanceMetrics.Scores> out = new LinkedHashMap<>();
        for (String name : truth.keySet()) {
            LabelMap t = LabelMap.read(truth.get(name));
            LabelMap p = LabelMap.read(predicted.get(name));
            if (t.width() != p.width() || t.height() != p.height()) {
                throw new IllegalArgumentException("prediction " + predicted.get(name) + " is " + p.width() + " x " + p.height()
                        + " but its truth is " + t.width() + " x " + t.height());
            }
            out.put(name, InstanceMetrics.score(t, p, matchRadius));
        }
        return out;
    }

    /** The JSON document; every number is finite by construction ({@link InstanceMetrics} defines the empty cases). */
    public static String json(Map<String, InstanceMetrics.Scores> images) {
        Map<String, Object> byImage = new LinkedHashMap<>();
        Map<String, Double> mean = new LinkedHashMap<>();
        images.forEach((name, s) -> {
            Map<String, Number> f = s.fields();
            byImage.put(name, f);
            f.forEach((k, v) -> mean.merge(k, v.doubleValue() / images.size(), Double::sum));
        });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("images", byImage);
        root.put("mean", mean);
        return Json.write(root);
    }
}
