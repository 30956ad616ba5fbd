package org.cellpilot.spark;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Segments a cohort of images and slides on Spark into GeoParquet. Runs as {@code java -jar cellpilot-spark.jar
 * --master local[N] …} or through {@code spark-submit}, which sets the master itself.
 */
@Command(name = "cellpilot-spark", mixinStandardHelpOptions = true,
        description = "Segment every cell of a folder of images and slides on Apache Spark, into GeoParquet.")
public final class CohortJob implements Callable<Integer> {
    @Option(names = "--master", description = "Spark master, e.g. local[4]; leave it out under spark-submit.")
    String master;

    @Option(names = "--input", required = true, description = "A folder of images, an image, or a text file of paths "
            + "(any Hadoop file system).")
    String input;

    @Option(names = "--output", required = true, description = "Output folder: cells/ (GeoParquet) and summary/.")
    String output;

    @Option(names = "--sam", description = "SAM checkpoint: a path every executor reads, or a file name shipped with "
            + "spark-submit --files.")
    String sam;

    @Option(names = "--cellvit", description = "CellViT checkpoint (as --sam); without it the built-in detector runs.")
    String cellvit;

    @Option(names = "--stain", defaultValue = "he", description = "Stains for the built-in detector: he or hdab "
            + "(default: ${DEFAULT-VALUE}).")
    String stain;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--mpp", description = "Microns per level-0 pixel of every slide, overriding what the files say.")
    Double mpp;

    @Option(names = "--resume", description = "Skip the images that the output already holds complete.")
    boolean resume;

    @Option(names = "--tiles-per-task", defaultValue = "4", description = "Tiles one Spark task segments "
            + "(default: ${DEFAULT-VALUE}).")
    int tilesPerTask;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new CohortJob());
        cli.setExecutionExceptionHandler((e, parsed, result) -> {
            cli.getErr().println("error: " + Faults.describe(e));
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (tilesPerTask < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--tiles-per-task must be >= 1");
        }
        Segmentation segmentation = new Segmentation(new ModelSpec(sam, cellvit, stain, device, 1), mpp == null ? Double.NaN : mpp);
        SparkSession.Builder builder = SparkSession.builder().appName("CellPilot cohort");
        if (master != null) {
            builder.master(master);
        }
        SparkSession spark = builder.getOrCreate();
        try {
            List<ImageSummary> summary = new Cohort(spark, new SlidePlanner(segmentation), new SlideSegmenter(segmentation))
                    .run(input, output, resume, tilesPerTask);
            long failed = summary.stream().filter(s -> !s.complete()).count();
            for (ImageSummary s : summary) {
                System.out.printf(Locale.ROOT, "%s: %d cells, %d tiles, %.1f s%s%n", s.image(), s.cells(), s.tiles(),
                        s.seconds(), s.complete() ? "" : " — INCOMPLETE: " + s.error());
            }
            System.out.printf(Locale.ROOT, "%d images, %d incomplete -> %s%n", summary.size(), failed, output);
            return failed == 0 ? 0 : 3;
        } finally {
            spark.stop();
            ExecutorModels.closeAll();
        }
    }
}
