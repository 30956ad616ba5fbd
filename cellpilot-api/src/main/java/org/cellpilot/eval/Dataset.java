package org.cellpilot.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cellpilot.RgbImage;

/**
 * An evaluation folder: {@code images/NAME.{png,jpg,tif}} and {@code labels/NAME.{png,tif}} with the same stem.
 * Opening it checks the pairing, so a missing or extra file fails before any model runs.
 */
public final class Dataset {
    private static final List<String> IMAGE_TYPES = List.of("png", "jpg", "jpeg", "tif", "tiff");
    private static final List<String> LABEL_TYPES = List.of("png", "tif", "tiff");

    private final Map<String, Path> images;
    private final Map<String, Path> labels;

    private Dataset(Map<String, Path> images, Map<String, Path> labels) {
        this.images = images;
        this.labels = labels;
    }

    public static Dataset open(Path dir) throws IOException {
        Map<String, Path> images = byStem(dir.resolve("images"), IMAGE_TYPES);
        Map<String, Path> labels = byStem(dir.resolve("labels"), LABEL_TYPES);
        for (String name : images.keySet()) {
            if (!labels.containsKey(name)) {
                throw new IllegalArgumentException("image " + images.get(name) + " has no label file labels/" + name + ".png (or .tif)");
            }
        }
        for (String name : labels.keySet()) {
            if (!images.containsKey(name)) {
                throw new IllegalArgumentException("label file " + labels.get(name) + " has no image images/" + name + ".png (or .jpg, .tif)");
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images in " + dir.resolve("images"));
        }
        return new Dataset(images, labels);
    }

    /** Files of {@code dir} by stem, in name order; two files with one stem are an error. */
    static Map<String, Path> byStem(Path dir, List<String> types) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no folder " + dir);
        }
        Map<String, Path> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            int dot = name.lastIndexOf('.');
            if (dot <= 0 || !types.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
                continue;
            }
            Path previous = out.put(name.substring(0, dot), f);
            if (previous != null) {
                throw new IllegalArgumentException("two files with the stem " + name.substring(0, dot) + ": " + previous + " and " + f);
            }
        }
        return out;
    }

    /** The image stems, in name order. */
    public List<String> names() {
        return List.copyOf(images.keySet());
    }

    public RgbImage image(String name) throws IOException {
        return RgbImage.read(images.get(name));
    }

    /** The labels of {@code name}, checked against its image's size and for at least one instance. */
    public LabelMap labels(String name, RgbImage image) throws IOException {
        Path file = labels.get(name);
        LabelMap map = LabelMap.read(file);
        if (map.width() != image.width() || map.height() != image.height()) {
            throw new IllegalArgumentException("label image " + file + " is " + map.width() + " x " + map.height()
                    + " but its image is " + image.width() + " x " + image.height());
        }
        if (map.ids().length == 0) {
            throw new IllegalArgumentException("label image " + file + " has no instances (every pixel is 0)");
        }
        return map;
    }
}
