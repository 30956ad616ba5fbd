package org.cellpilot.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cellpilot.CellPilot;
import org.cellpilot.eval.AutomaticEvaluation;
import org.cellpilot.eval.ClickRule;
import org.cellpilot.eval.Dataset;
import org.cellpilot.eval.InstanceMetrics;
import org.cellpilot.eval.InteractiveEvaluation;
import org.cellpilot.eval.Start;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * CellPilot's interactive protocol on a labelled folder (results.csv, summary.csv, curves.png, report.md), or with
 * {@code --automatic} the instance metrics of automatic segmentation. Ctrl-C stops after the current click sequence
 * (or image) and still writes the summary of what was done.
 */
@Command(name = "evaluate", description = "Run the interactive click protocol (or, with --automatic, score automatic "
        + "segmentation) on DIR/images + DIR/labels.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = "--sam", description = "SAM checkpoint; repeat to compare models. Required unless --automatic.")
    List<Path> sams = new ArrayList<>();

    @Mixin
    DecoderHeadsOption decoderHeads;

    @Option(names = "--data", required = true, description = "Folder with images/NAME.{png,jpg,tif} and labels/NAME.{png,tif}.")
    Path data;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--start", defaultValue = "both", description = "point, box or both (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--clicks", defaultValue = "5", description = "Corrective clicks per sequence (default: ${DEFAULT-VALUE}).")
    int clicks;

    @Option(names = "--clicker", defaultValue = "largest-component",
            description = "largest-component (CellPilot's rule) or distance (SimpleClick's) (default: ${DEFAULT-VALUE}).")
    String clicker;

    @Option(names = "--feedback", defaultValue = "none",
            description = "none (the paper's setting) or logits (previous low-res logits as mask input) (default: ${DEFAULT-VALUE}).")
    String feedback;

    @Option(names = "--instances", defaultValue = "10", description = "Instances per image (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the instance, start and click draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--prompts", description = "JSON of fixed instances and start prompts per image, instead of drawing them.")
    Path prompts;

    @Option(names = "--automatic", description = "Score automatic segmentation (CellViT or the built-in detector, with SAM if given).")
    boolean automatic;

    @Option(names = "--cellvit", description = "With --automatic: CellViT checkpoint (default: the built-in detector).")
    Path cellvit;

    @Option(names = "--match-radius", defaultValue = "12", description = "With --automatic: centroid pairing radius in pixels (default: ${DEFAULT-VALUE}).")
    double matchRadius;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!automatic && sams.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--sam is required (except with --automatic)");
        }
        if (automatic && sams.size() > 1) {
            throw new ParameterException(spec.commandLine(), "--automatic takes at most one --sam");
        }
        Dataset dataset = Dataset.open(data);
        PrintWriter err = spec.commandLine().getErr();
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: ask the run to stop between sequences, and hold the JVM until it has written what it has.
        Thread hook = new Thread(() -> {
            cancelled.set(true);
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return automatic ? automatic(dataset, err, cancelled) : interactive(dataset, err, cancelled);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C came: the hook is running and lets the JVM exit now that the outputs are written.
            }
        }
    }

    private int interactive(Dataset dataset, PrintWriter err, AtomicBoolean cancelled) throws IOException {
        InteractiveEvaluation.Settings settings = new InteractiveEvaluation.Settings(starts(), clicks, clickRule(), feedbackLogits(),
                instances, seed, prompts);
        List<CellPilot> loaded = new ArrayList<>();
        try {
            List<InteractiveEvaluation.Model> models = new ArrayList<>();
            List<String> names = modelNames();
            for (int i = 0; i < sams.size(); i++) {
                Path sam = sams.get(i);
                String name = names.get(i);
                CellPilot pilot = CellPilot.builder().sam(sam).decoderHeads(decoderHeads.heads).device(device.get()).build();
                loaded.add(pilot);
                models.add(new InteractiveEvaluation.Model(name, pilot));
            }
            err.printf("evaluating %d model(s) on %d image(s)…%n", models.size(), dataset.names().size());
            InteractiveEvaluation.Outcome o = InteractiveEvaluation.run(dataset, models, settings, out,
                    (done, total) -> ProgressBar.draw(err, done, total, "sequences"), cancelled::get);
            if (o.cancelled()) {
                err.println();
            }
            spec.commandLine().getOut().printf("%s%d rows -> %s (results.csv, summary.csv, curves.png, report.md)%n",
                    o.cancelled() ? "cancelled: " : "", o.rows(), out);
        } finally {
            loaded.forEach(CellPilot::close);
        }
        return 0;
    }

    private int automatic(Dataset dataset, PrintWriter err, AtomicBoolean cancelled) throws IOException {
        CellPilot.Builder builder = CellPilot.builder().device(device.get()).cellvit(cellvit).decoderHeads(decoderHeads.heads);
        if (!sams.isEmpty()) {
            builder.sam(sams.get(0));
        }
        try (CellPilot pilot = builder.build()) {
            Map<String, InstanceMetrics.Scores> scores = AutomaticEvaluation.run(dataset, pilot, matchRadius, out,
                    (done, total) -> ProgressBar.draw(err, done, total, "images"), cancelled::get);
            spec.commandLine().getOut().printf("%d image(s) scored -> %s (automatic.csv, metrics.json, labels/)%n", scores.size(), out);
        }
        return 0;
    }

    /**
     * Each checkpoint's file stem; stems that collide (two runs' {@code model.pth}) get their folder's name in
     * front, {@code folder-stem}, and checkpoints still alike are refused.
     */
    private List<String> modelNames() {
        List<String> stems = sams.stream().map(p -> p.getFileName().toString().replaceFirst("\\.[^.]*$", "")).toList();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < stems.size(); i++) {
            String stem = stems.get(i);
            Path parent = sams.get(i).toAbsolutePath().getParent();
            boolean collides = stems.indexOf(stem) != stems.lastIndexOf(stem);
            names.add(collides && parent != null && parent.getFileName() != null ? parent.getFileName() + "-" + stem : stem);
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new ParameterException(spec.commandLine(), "two --sam checkpoints share a name and a folder name: " + names);
        }
        return names;
    }

    private Set<Start> starts() {
        switch (start.toLowerCase(Locale.ROOT)) {
            case "point":
                return EnumSet.of(Start.POINT);
            case "box":
                return EnumSet.of(Start.BOX);
            case "both":
                return EnumSet.allOf(Start.class);
            default:
                throw new ParameterException(spec.commandLine(), "unknown start '" + start + "': use point, box or both");
        }
    }

    private ClickRule clickRule() {
        for (ClickRule r : ClickRule.values()) {
            if (r.label().equals(clicker)) {
                return r;
            }
        }
        throw new ParameterException(spec.commandLine(), "unknown clicker '" + clicker + "': use largest-component or distance");
    }

    private boolean feedbackLogits() {
        if (!feedback.equals("none") && !feedback.equals("logits")) {
            throw new ParameterException(spec.commandLine(), "unknown feedback '" + feedback + "': use none or logits");
        }
        return feedback.equals("logits");
    }
}
