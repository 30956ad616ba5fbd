package org.cellpilot.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * A java.nio path for an input, which the slide readers need for random access. Files on the local or a mounted
 * shared file system are read in place; files on other file systems (HDFS, S3, …) are copied once per executor
 * into its temporary folder.
 */
final class LocalFiles {
    private static final Map<String, java.nio.file.Path> COPIES = new HashMap<>();

    private LocalFiles() {
    }

    static java.nio.file.Path of(String path) throws IOException {
        URI uri = new Path(path).toUri();
        if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
            return java.nio.file.Path.of(uri.getPath());
        }
        return copyOnce(new Path(uri));
    }

    private static synchronized java.nio.file.Path copyOnce(Path source) throws IOException {
        java.nio.file.Path copy = COPIES.get(source.toString());
        if (copy == null) {
            Configuration conf = SparkHadoopUtil.get().newConfiguration(SparkEnv.get().conf());
            copy = Files.createTempDirectory("cellpilot-input").resolve(source.getName());
            source.getFileSystem(conf).copyToLocalFile(false, source, new Path(copy.toUri()), true);
            COPIES.put(source.toString(), copy);
        }
        return copy;
    }
}
