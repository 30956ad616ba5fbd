package org.cellpilot.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.cellpilot.CellPilot;
import org.cellpilot.Prediction;
import org.cellpilot.Prompt;
import org.cellpilot.RgbImage;
import org.cellpilot.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CellPilot's interactive protocol (Table 2 and Fig. 2 of the paper), run on a labelled folder for one or more SAM
 * models. Per image and model the image is encoded once; per chosen instance and start, the start prompt is
 * predicted, then {@code clicks} corrective clicks are simulated, each re-running the whole prompt from scratch
 * (multimask off; with {@code feedbackLogits}, the previous low-res logits as mask input). Every model sees the
 * same instances and starts: they are drawn once per image, before any model runs (the paper's code re-drew them
 * for every setting).
 *
 * <p>Writes results.csv (a sequence's rows as soon as it ends), then summary.csv, curves.png and report.md.
 * Cancelling stops between sequences and still writes the summary, plot and report of what was done.
 */
public final class InteractiveEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(InteractiveEvaluation.class);

    /** A model under test: its name in the outputs (the checkpoint's stem) and the loaded weights. */
    public record Model(String name, CellPilot pilot) {
    }

    /**
     * The protocol's settings; {@code prompts} (nullable) fixes the instances and initial prompts, replacing the
     * seeded draw of {@code instances} per image.
     */
    public record Settings(Set<Start> starts, int clicks, ClickRule clicker, boolean feedbackLogits, int instances, long seed,
            Path prompts) {
        public Settings {
            starts = EnumSet.copyOf(starts);
            Objects.requireNonNull(clicker, "clicker");
            if (starts.isEmpty()) {
                throw new IllegalArgumentException("choose at least one start (point, box)");
            }
            if (clicks < 0 || instances < 1) {
                throw new IllegalArgumentException("clicks must be >= 0 and instances >= 1, got " + clicks + " and " + instances);
            }
        }
    }

    /** Told after every sequence: sequences done and in all. */
    public interface Progress {
        void update(int done, int total);
    }

    /** What a run did: its rows, and whether it was cancelled before the end. */
    public record Outcome(int rows, boolean cancelled) {
    }

    private InteractiveEvaluation() {
    }

    public static Outcome run(Dataset data, List<Model> models, Settings settings, Path out, Progress progress,
            BooleanSupplier cancelled) throws IOException {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to evaluate");
        }
        Map<String, List<Target>> targets = targets(data, settings);
        int total = targets.values().stream().mapToInt(List::size).sum() * settings.starts().size() * models.size();
        Files.createDirectories(out);
        List<Row> rows = new ArrayList<>();
        int done = 0;
        boolean stopped = false;
        try (BufferedWriter csv = Files.newBufferedWriter(out.resolve("results.csv"))) {
            csv.write(Row.HEADER);
            csv.newLine();
            images:
            for (Map.Entry<String, List<Target>> e : targets.entrySet()) {
                RgbImage image = data.image(e.getKey());
                LabelMap labels = data.labels(e.getKey(), image);
                for (Model model : models) {
                    try (Session session = model.pilot().open(image)) {
                        for (Target t : e.getValue()) {
                            for (Start start : settings.starts()) {
                                if (cancelled.getAsBoolean()) {
                                    stopped = true;
                                    break images;
                                }
                                List<Row> seq = sequence(session, model.name(), e.getKey(), labels, t, start, settings);
                                for (Row r : seq) {
                                    csv.write(r.csv());
                                    csv.newLine();
                                }
                                csv.flush();
                                rows.addAll(seq);
                                progress.update(++done, total);
                            }
                        }
                    }
                }
            }
        }
        List<Summary.Line> summary = Summary.of(rows);
        Summary.write(summary, out.resolve("summary.csv"));
        Curves.write(summary, out.resolve("curves.png"));
        Report.write(summary, models, data, settings, stopped, out.resolve("report.md"));
        return new Outcome(rows.size(), stopped);
    }

    /** Each image's targets: from the prompts file, or drawn with the run's seed. Checked before any model runs. */
    static Map<String, List<Target>> targets(Dataset data, Settings settings) throws IOException {
        Map<String, List<Target>> fixed = settings.prompts() == null ? null : PromptsFile.read(settings.prompts());
        if (fixed != null) {
            for (String name : fixed.keySet()) {
                if (!data.names().contains(name)) {
                    throw new IllegalArgumentException(settings.prompts() + " names image " + name + ", which is not in the data folder");
                }
            }
            data.names().stream().filter(n -> !fixed.containsKey(n)).forEach(n -> LOG.info("{} is not in the prompts file; skipped", n));
        }
        Map<String, List<Target>> out = new LinkedHashMap<>();
        // A prompts file also fixes the order of the images, so that rows line up with another implementation's.
        for (String name : fixed != null ? fixed.keySet() : data.names()) {
            RgbImage image = data.image(name);
            LabelMap labels = data.labels(name, image);
            List<Target> ts = fixed != null ? fixed.get(name)
                    : StartSampler.targets(labels, settings.instances(), StartSampler.random(settings.seed(), name));
            Set<Integer> ids = labels.boxes().keySet();
            for (Target t : ts) {
                check(name, t, labels, ids, settings.starts());
            }
            out.put(name, ts);
        }
        return out;
    }

    /** A prompts file's target must name a label present and give in-image prompts for the chosen starts. */
    private static void check(String image, Target t, LabelMap labels, Set<Integer> ids, Set<Start> starts) {
        String what = "image " + image + ", instance " + t.instance();
        if (!ids.contains(t.instance())) {
            throw new IllegalArgumentException(what + ": no such label value in the label image");
        }
        if (starts.contains(Start.POINT) && t.point() == null || starts.contains(Start.BOX) && t.box() == null) {
            throw new IllegalArgumentException(what + ": the prompts file gives no " + (t.point() == null ? "point" : "box"));
        }
        int[] p = t.point();
        int[] b = t.box();
        boolean inside = (p == null || inside(p[0], p[1], labels)) && (b == null || inside(b[0], b[1], labels) && inside(b[2], b[3], labels));
        if (!inside || b != null && (b[2] <= b[0] || b[3] <= b[1])) {
            throw new IllegalArgumentException(what + ": point " + Arrays.toString(p) + " or box " + Arrays.toString(b)
                    + " is not a valid prompt in the " + labels.width() + " x " + labels.height() + " image (a box needs x1 > x0, y1 > y0)");
        }
    }

    private static boolean inside(int x, int y, LabelMap labels) {
        return x >= 0 && y >= 0 && x < labels.width() && y < labels.height();
    }

    /** One click sequence: the start prompt, then the corrective clicks, a row per step. */
    static List<Row> sequence(Session session, String model, String image, LabelMap labels, Target t, Start start,
            Settings settings) {
        int w = labels.width();
        int h = labels.height();
        boolean[] truth = labels.mask(t.instance());
        Clicker clicker = settings.clicker().newClicker(Objects.hash(settings.seed(), image, t.instance(), start.label()));
        Click shown = null;
        Prompt prompt;
        if (start == Start.POINT) {
            shown = new Click(t.point()[0], t.point()[1], true);
            clicker.clicked(shown, w);
            prompt = Prompt.positive(shown.x(), shown.y());
        } else {
            int[] b = t.box();
            prompt = Prompt.box(b[0], b[1], b[2], b[3]);
        }
        Prediction p = session.predict(prompt, null, false);
        boolean[] mask = p.mask(0);
        List<Row> rows = new ArrayList<>();
        rows.add(row(model, image, t, start, 0, shown, truth, mask));
        for (int k = 1; k <= settings.clicks(); k++) {
            Click c = clicker.next(truth, mask, w, h);
            if (c != null) {
                prompt = prompt.and(c.positive() ? Prompt.positive(c.x(), c.y()) : Prompt.negative(c.x(), c.y()));
                p = session.predict(prompt, settings.feedbackLogits() ? p.lowResLogits(0) : null, false);
                mask = p.mask(0);
            }
            rows.add(row(model, image, t, start, k, c, truth, mask));
        }
        return rows;
    }

    private static Row row(String model, String image, Target t, Start start, int k, Click click, boolean[] truth, boolean[] mask) {
        Overlap o = Overlap.of(truth, mask);
        return new Row(model, image, t.instance(), start, k, click, o.iou(), o.dice());
    }
}
