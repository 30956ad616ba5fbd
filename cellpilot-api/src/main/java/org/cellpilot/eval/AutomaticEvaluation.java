package org.cellpilot.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.cellpilot.CellPilot;
import org.cellpilot.Exports;
import org.cellpilot.Mask;
import org.cellpilot.RgbImage;
import org.cellpilot.Session;

/**
 * Scores automatic segmentation: {@link Session#segmentAutomatically()} on every image of a labelled folder, its
 * masks written as label images ({@code labels/NAME.png}, so {@code cellpilot metrics} can rescore them) and
 * scored with {@link InstanceMetrics}. Writes automatic.csv (one row per image) and metrics.json (per image and
 * the means, in {@link MetricsRun}'s format). Cancelling stops between images and writes what was scored.
 */
public final class AutomaticEvaluation {
    private AutomaticEvaluation() {
    }

    public static Map<String, InstanceMetrics.Scores> run(Dataset data, CellPilot pilot, double matchRadius, Path out,
            InteractiveEvaluation.Progress progress, BooleanSupplier cancelled) throws IOException {
        Path labelDir = Files.createDirectories(out.resolve("labels"));
        Map<String, InstanceMetrics.Scores> scores = new LinkedHashMap<>();
        List<String> names = data.names();
        for (String name : names) {
            if (cancelled.getAsBoolean()) {
                break;
            }
            RgbImage image = data.image(name);
            LabelMap truth = data.labels(name, image);
            List<Mask> masks;
            try (Session s = pilot.open(image)) {
                masks = s.segmentAutomatically();
            }
            Path file = labelDir.resolve(name + (masks.size() > 0xffff ? ".tif" : ".png"));
            Exports.writeLabelImage(masks, image.width(), image.height(), file);
            scores.put(name, InstanceMetrics.score(truth, LabelMap.read(file), matchRadius));
            progress.update(scores.size(), names.size());
        }
        List<String> csv = new ArrayList<>();
        csv.add("image," + String.join(",", new InstanceMetrics.Scores(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).fields().keySet()));
        scores.forEach((name, s) -> csv.add(name + "," + s.fields().values().stream().map(String::valueOf).collect(Collectors.joining(","))));
        Files.write(out.resolve("automatic.csv"), csv);
        Files.writeString(out.resolve("metrics.json"), MetricsRun.json(scores));
        return scores;
    }
}
