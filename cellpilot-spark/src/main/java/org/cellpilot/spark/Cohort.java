package org.cellpilot.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The driver's side of a cohort run. It lists the images and hands them to the executors in two jobs: the first
 * plans each image (size, tissue, tiles), the second segments the tiles and writes the cells. Only plans, cells
 * counts and errors come back to the driver, never pixels. The output folder holds {@code cells/} (GeoParquet,
 * partitioned by image) and {@code summary/} (one row per image).
 */
final class Cohort {
    private static final Logger LOG = LoggerFactory.getLogger(Cohort.class);

    private final SparkSession spark;
    private final TilePlanner planner;
    private final TileSegmenter segmenter;

    Cohort(SparkSession spark, TilePlanner planner, TileSegmenter segmenter) {
        this.spark = spark;
        this.planner = planner;
        this.segmenter = segmenter;
    }

    static Path cellsFolder(String output) {
        return new Path(output, "cells");
    }

    static Path summaryFolder(String output) {
        return new Path(output, "summary");
    }

    /**
     * Segments every image of {@code input} into {@code output}. With {@code resume}, images that the output's
     * summary lists as complete are skipped and the others are done again; without it the output must not exist.
     *
     * @param tilesPerTask tiles that one Spark task segments in a row
     * @return the summary, one row per image
     */
    List<ImageSummary> run(String input, String output, boolean resume, int tilesPerTask) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = jsc.hadoopConfiguration();
        Path out = new Path(output);
        FileSystem fs = out.getFileSystem(conf);
        Map<String, ImageSummary> done = resume ? completed(fs, output) : Map.of();
        if (!resume && fs.exists(out) && fs.listStatus(out).length > 0) {
            throw new IllegalArgumentException("output " + output + " exists and is not empty: use --resume to "
                    + "continue the run that made it, or choose another folder");
        }
        List<InputListing.Input> todo = new ArrayList<>();
        for (InputListing.Input in : InputListing.list(input, conf)) {
            if (!done.containsKey(in.name())) {
                todo.add(in);
                fs.delete(new Path(cellsFolder(output), GeoParquetOutputFormat.partitionFolder(in.name())), true);
            }
        }
        LOG.info("{} images to segment, {} already complete", todo.size(), done.size());

        List<ImagePlan> plans = plan(jsc, todo);
        List<Tile> tiles = new ArrayList<>();
        plans.forEach(p -> tiles.addAll(p.tiles()));
        CollectionAccumulator<TileOutcome> outcomes = spark.sparkContext().collectionAccumulator("tile outcomes");
        writeCells(jsc, tiles, tilesPerTask, outcomes, output);

        List<ImageSummary> summary = new ArrayList<>(done.values());
        summary.addAll(ImageSummary.of(plans, outcomes.value()));
        writeSummary(summary, output);
        return summary;
    }

    private List<ImagePlan> plan(JavaSparkContext jsc, List<InputListing.Input> inputs) {
        if (inputs.isEmpty()) {
            return List.of();
        }
        TilePlanner p = planner;
        return jsc.parallelize(inputs, inputs.size()).map(in -> {
            long t0 = System.nanoTime();
            try {
                return p.plan(in.name(), in.path());
            } catch (Exception e) {
                return ImagePlan.failed(in.name(), in.path(), (System.nanoTime() - t0) / 1e9, e);
            }
        }).collect();
    }

    private void writeCells(JavaSparkContext jsc, List<Tile> tiles, int tilesPerTask,
                            CollectionAccumulator<TileOutcome> outcomes, String output) throws IOException {
        Job job = Job.getInstance(jsc.hadoopConfiguration());
        job.setOutputFormatClass(GeoParquetOutputFormat.class);
        FileOutputFormat.setOutputPath(job, cellsFolder(output));
        Configuration conf = job.getConfiguration();
        conf.set(GeoParquetOutputFormat.RUN_ID, UUID.randomUUID().toString());
        // Version 1 moves a task's files at task commit and the job's at job commit: nothing of an attempt that
        // did not commit ever reaches the output.
        conf.setInt("mapreduce.fileoutputcommitter.algorithm.version", 1);
        int tasks = Math.max(1, (tiles.size() + tilesPerTask - 1) / tilesPerTask);
        TileSegmenter s = segmenter;
        JavaRDD<Tile> rdd = jsc.parallelize(tiles, tasks);
        rdd.mapPartitions(it -> new TileRun(it, s, outcomes))
                .mapToPair(cell -> new Tuple2<Void, CellRecord>(null, cell))
                .saveAsNewAPIHadoopDataset(conf);
    }

    private Map<String, ImageSummary> completed(FileSystem fs, String output) throws IOException {
        Map<String, ImageSummary> done = new HashMap<>();
        if (fs.exists(summaryFolder(output))) {
            for (Row r : spark.read().schema(ImageSummary.SCHEMA).parquet(summaryFolder(output).toString()).collectAsList()) {
                ImageSummary s = ImageSummary.of(r);
                if (s.complete()) {
                    done.put(s.image(), s);
                }
            }
        }
        return done;
    }

    private void writeSummary(List<ImageSummary> summary, String output) {
        List<Row> rows = new ArrayList<>();
        summary.forEach(s -> rows.add(s.toRow()));
        spark.createDataFrame(rows, ImageSummary.SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite)
                .parquet(summaryFolder(output).toString());
    }
}
