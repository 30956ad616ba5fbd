package org.cellpilot.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** report.md: the Table 2-style table, the curves, and every setting needed to repeat the run. */
final class Report {
    private Report() {
    }

    static void write(List<Summary.Line> summary, List<InteractiveEvaluation.Model> models, Dataset data,
            InteractiveEvaluation.Settings s, boolean cancelled, Path file) throws IOException {
        StringBuilder md = new StringBuilder("# Interactive evaluation\n\n");
        if (cancelled) {
            md.append("**Cancelled before the end: these numbers cover only the sequences finished.**\n\n");
        }
        md.append("Mean ± std IoU over instances, with the start prompt alone (k = 0) and after the last corrective click (k = ")
                .append(s.clicks()).append(").\n\n| model |");
        for (Start start : s.starts()) {
            md.append(' ').append(start.label()).append(", k = 0 | ").append(start.label()).append(", k = ").append(s.clicks()).append(" |");
        }
        md.append("\n|---|").append("---|---|".repeat(s.starts().size())).append('\n');
        for (InteractiveEvaluation.Model m : models) {
            md.append("| ").append(m.name()).append(" |");
            for (Start start : s.starts()) {
                md.append(' ').append(cell(summary, m.name(), start, 0)).append(" | ").append(cell(summary, m.name(), start, s.clicks())).append(" |");
            }
            md.append('\n');
        }
        md.append("\n![mean IoU against corrective clicks](curves.png)\n\n## Settings\n\n")
                .append("- models: ").append(models.stream().map(InteractiveEvaluation.Model::name).collect(Collectors.joining(", "))).append('\n')
                .append("- images: ").append(data.names().size()).append('\n')
                .append("- starts: ").append(s.starts().stream().map(Start::label).collect(Collectors.joining(", "))).append('\n')
                .append("- corrective clicks: ").append(s.clicks()).append('\n')
                .append("- clicker: ").append(s.clicker().label()).append('\n')
                .append("- feedback: ").append(s.feedbackLogits() ? "logits (previous low-res logits as mask_input)" : "none (the paper's setting)").append('\n')
                .append(s.prompts() != null ? "- instances and initial prompts: from " + s.prompts().getFileName() + "\n"
                        : "- instances per image: " + s.instances() + ", seed " + s.seed() + "\n")
                .append("- every prediction: multimask off, mask = logits > 0 at the original resolution\n\n")
                .append("Every model was run on the same instances and the same start prompts, drawn once per image. "
                        + "This differs on purpose from CellPilot's evaluation script, which re-draws the instances for every "
                        + "setting, so its curves do not follow the same instances from click to click.\n");
        Files.writeString(file, md);
    }

    private static String cell(List<Summary.Line> summary, String model, Start start, int k) {
        return summary.stream().filter(l -> l.model().equals(model) && l.start() == start && l.clicks() == k).findFirst()
                .map(l -> String.format(Locale.ROOT, "%.3f ± %.3f (n = %d)", l.mean(), l.std(), l.n())).orElse("–");
    }
}
