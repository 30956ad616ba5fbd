package org.cellpilot.spark;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.PathOutputCommitter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;

/**
 * The cell table as GeoParquet, partitioned by image: each task writes {@code image=<name>/part-….parquet} into
 * its committer's work folder, and Spark's commit protocol moves a task's files into the output only when that
 * attempt commits. A failed or killed attempt's files are discarded, so a retried task never writes a row twice.
 */
public final class GeoParquetOutputFormat extends FileOutputFormat<Void, CellRecord> {
    /** A per-run id in part file names, so that a resumed run adds files beside the earlier run's. */
    static final String RUN_ID = "cellpilot.run.id";

    /** The output folder may exist: a resumed run adds the partitions of the images it completes. */
    @Override
    public void checkOutputSpecs(JobContext job) throws IOException {
        if (getOutputPath(job) == null) {
            throw new IOException("no output folder set for the cell table");
        }
    }

    @Override
    public RecordWriter<Void, CellRecord> getRecordWriter(TaskAttemptContext task) throws IOException {
        Path work = ((PathOutputCommitter) getOutputCommitter(task)).getWorkPath();
        String fileName = String.format("part-%05d-%s.parquet", task.getTaskAttemptID().getTaskID().getId(),
                task.getConfiguration().get(RUN_ID, "run"));
        return new PartitionedWriter(work, fileName, task.getConfiguration());
    }

    /** The folder of one image's partition: Hive-style, with the name escaped as Spark escapes it. */
    static String partitionFolder(String image) {
        return "image=" + org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils.escapePathName(image);
    }

    /** One Parquet file per image that the task writes cells of, opened at its first cell. */
    private static final class PartitionedWriter extends RecordWriter<Void, CellRecord> {
        private final Path work;
        private final String fileName;
        private final Configuration conf;
        private final Map<String, ParquetWriter<CellRecord>> writers = new HashMap<>();

        PartitionedWriter(Path work, String fileName, Configuration conf) {
            this.work = work;
            this.fileName = fileName;
            this.conf = conf;
        }

        @Override
        public void write(Void key, CellRecord cell) throws IOException {
            ParquetWriter<CellRecord> w = writers.get(cell.image());
            if (w == null) {
                Path file = new Path(new Path(work, partitionFolder(cell.image())), fileName);
                w = new Builder(HadoopOutputFile.fromPath(file, conf))
                        .withConf(conf)
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .build();
                writers.put(cell.image(), w);
            }
            w.write(cell);
        }

        @Override
        public void close(TaskAttemptContext context) throws IOException {
            IOException first = null;
            for (ParquetWriter<CellRecord> w : writers.values()) {
                try {
                    w.close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    private static final class Builder extends ParquetWriter.Builder<CellRecord, Builder> {
        Builder(OutputFile file) {
            super(file);
        }

        @Override
        protected Builder self() {
            return this;
        }

        // parquet-java 1.17 still declares this Hadoop form abstract; its replacement delegates to it.
        @SuppressWarnings("deprecation")
        @Override
        protected WriteSupport<CellRecord> getWriteSupport(Configuration conf) {
            return new CellWriteSupport();
        }
    }
}
