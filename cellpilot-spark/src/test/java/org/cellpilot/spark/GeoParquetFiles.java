package org.cellpilot.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Reads the job's part files back with parquet-java's own reader, which shares nothing with the job's writer. */
final class GeoParquetFiles {
    private GeoParquetFiles() {
    }

    /** The part files under {@code folder}, at any depth. */
    static List<Path> parts(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParquetMetadata footer(Path part) throws IOException {
        try (ParquetFileReader r = ParquetFileReader.open(input(part))) {
            return r.getFooter();
        }
    }

    static List<Group> rows(Path part) throws IOException {
        List<Group> rows = new ArrayList<>();
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(part.toUri()))
                .withConf(new Configuration()).build()) {
            for (Group g = r.read(); g != null; g = r.read()) {
                rows.add(g);
            }
        }
        return rows;
    }

    private static HadoopInputFile input(Path part) throws IOException {
        return HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(part.toUri()), new Configuration());
    }
}
