package org.cellpilot.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** summary.csv: per model, start and click count, the number of sequences and the mean and std of their IoU. */
final class Summary {
    static final String HEADER = "model,start,clicks,n,mean_iou,std_iou";

    /** One curve point; {@code std} is the sample standard deviation (n − 1), 0 for a single sequence. */
    record Line(String model, Start start, int clicks, int n, double mean, double std) {
        String csv() {
            return String.format(Locale.ROOT, "%s,%s,%d,%d,%.6f,%.6f", model, start.label(), clicks, n, mean, std);
        }
    }

    private Summary() {
    }

    /** Lines in the order models first appear, then start (point, box), then click count. */
    static List<Line> of(List<Row> rows) {
        Map<String, Map<Start, Map<Integer, List<Double>>>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(r.model(), m -> new EnumMap<>(Start.class))
                    .computeIfAbsent(r.start(), s -> new TreeMap<>())
                    .computeIfAbsent(r.clicks(), k -> new ArrayList<>()).add(r.iou());
        }
        List<Line> out = new ArrayList<>();
        groups.forEach((model, starts) -> starts.forEach((start, ks) -> ks.forEach((k, ious) -> {
            double mean = ious.stream().mapToDouble(Double::doubleValue).sum() / ious.size();
            double squares = ious.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            double std = ious.size() > 1 ? Math.sqrt(squares / (ious.size() - 1)) : 0;
            out.add(new Line(model, start, k, ious.size(), mean, std));
        })));
        return out;
    }

    static void write(List<Line> lines, Path file) throws IOException {
        List<String> text = new ArrayList<>();
        text.add(HEADER);
        lines.forEach(l -> text.add(l.csv()));
        Files.write(file, text);
    }
}
