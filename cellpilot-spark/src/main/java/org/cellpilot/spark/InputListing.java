package org.cellpilot.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The images of a cohort, on any Hadoop file system: the image files of a folder (not its sub-folders), one image
 * file, or a text file of paths, one a line (blank lines and lines starting with # skipped; relative paths are
 * relative to the text file's folder). Images are named by file name, which must be unique in a cohort.
 */
final class InputListing {
    /** What slide readers and ImageIO open; other files in an input folder are left alone. */
    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "tif", "tiff", "svs", "ndpi", "mrxs",
            "scn", "vms", "vmu", "bif", "bmp");

    /** One input image: its name (the partition key) and its fully qualified path. */
    record Input(String name, String path) implements java.io.Serializable {
    }

    private InputListing() {
    }

    static List<Input> list(String input, Configuration conf) throws IOException {
        Path root = new Path(input);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) {
            throw new IllegalArgumentException("input " + input + " does not exist");
        }
        List<Path> paths = new ArrayList<>();
        if (fs.getFileStatus(root).isDirectory()) {
            for (FileStatus f : fs.listStatus(root)) {
                if (f.isFile() && isImage(f.getPath())) {
                    paths.add(f.getPath());
                }
            }
        } else if (isImage(root)) {
            paths.add(root);
        } else {
            paths.addAll(readPathList(fs, root));
        }
        return named(fs, paths);
    }

    private static List<Path> readPathList(FileSystem fs, Path list) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(list), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String p = line.strip();
                if (!p.isEmpty() && !p.startsWith("#")) {
                    Path path = new Path(p);
                    paths.add(path.isAbsolute() || path.toUri().getScheme() != null ? path : new Path(list.getParent(), path));
                }
            }
        }
        return paths;
    }

    private static List<Input> named(FileSystem fs, List<Path> paths) {
        Map<String, Path> byName = new HashMap<>();
        List<Input> inputs = new ArrayList<>();
        for (Path p : paths) {
            Path qualified = fs.makeQualified(p);
            Path other = byName.putIfAbsent(p.getName(), qualified);
            if (other != null) {
                throw new IllegalArgumentException("two inputs are named " + p.getName() + " (" + other + " and " + qualified
                        + "): images are named by file name in the output, so names must be unique");
            }
            inputs.add(new Input(p.getName(), qualified.toString()));
        }
        inputs.sort(Comparator.comparing(Input::name));
        return inputs;
    }

    private static boolean isImage(Path p) {
        String name = p.getName();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
