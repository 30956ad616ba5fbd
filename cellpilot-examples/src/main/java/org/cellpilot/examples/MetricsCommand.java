package org.cellpilot.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cellpilot.eval.InstanceMetrics;
import org.cellpilot.eval.MetricsRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** HoVer-Net's instance metrics (PQ, AJI, AJI+, Dice, detection F1) of predicted label images against the truth. */
@Command(name = "metrics", description = "Score predicted instance label images against ground truth, paired by file stem.")
final class MetricsCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = "--gt", required = true, description = "Folder of ground-truth label images (PNG or TIFF).")
    Path gt;

    @Option(names = "--pred", required = true, description = "Folder of predicted label images with the same stems.")
    Path pred;

    @Option(names = "--out", defaultValue = "metrics.json", description = "Output JSON (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--match-radius", defaultValue = "12", description = "Centroid pairing radius in pixels, inclusive (default: ${DEFAULT-VALUE}).")
    double matchRadius;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Map<String, InstanceMetrics.Scores> scores = MetricsRun.score(gt, pred, matchRadius);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, MetricsRun.json(scores));
        scores.forEach((name, s) -> spec.commandLine().getOut().printf(Locale.ROOT,
                "%s: PQ %.4f  AJI %.4f  AJI+ %.4f  Dice %.4f  F1 %.4f%n", name, s.pq(), s.aji(), s.ajiPlus(), s.dice(), s.f1()));
        spec.commandLine().getOut().println("-> " + out);
        return 0;
    }
}
