package org.cellpilot.examples.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.cellpilot.RgbImage;

/**
 * The annotator's images: the files directly inside {@code --images DIR} (id {@code "file:NAME"}) and uploads
 * (id {@code "upload:UUID"}). A file id names a file of the folder listing, and its real path must lie inside the
 * folder, so no id can reach anything else. Decoded images are kept for the tiles and sessions that follow, the
 * most recently used few.
 */
final class ImageStore {
    private static final int DECODED = 8;
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp");

    /** One image, decoded. */
    record Image(String id, String name, RgbImage pixels) {
    }

    private final Path folder;
    private final long maxPixels;
    private final Map<String, Image> decoded = new LinkedHashMap<>(16, 0.75f, true);

    ImageStore(Path folder, long maxPixels) {
        this.folder = folder;
        this.maxPixels = maxPixels;
    }

    /** The folder's image files, by name. */
    List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        if (folder == null) {
            return names;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && EXTENSIONS.stream().anyMatch(name.toLowerCase(Locale.ROOT)::endsWith)) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    Image upload(String name, byte[] bytes) {
        RgbImage pixels = Images.decode("the upload", bytes, maxPixels);
        Image image = new Image("upload:" + UUID.randomUUID(), name == null || name.isBlank() ? "upload" : name, pixels);
        remember(image);
        return image;
    }

    Image get(String id) throws IOException {
        if (id == null) {
            throw HttpError.badRequest("missing image id");
        }
        synchronized (this) {
            Image known = decoded.get(id);
            if (known != null) {
                return known;
            }
        }
        if (!id.startsWith("file:")) {
            throw HttpError.notFound("no image " + id + " (uploads are kept for the " + DECODED + " most recently used images)");
        }
        Image image = new Image(id, id.substring(5), Images.decode(id, Files.readAllBytes(file(id.substring(5))), maxPixels));
        remember(image);
        return image;
    }

    /** The folder's file {@code name}: one the listing shows, whose real path lies inside the folder. */
    private Path file(String name) throws IOException {
        if (folder == null || !list().contains(name)) {
            throw HttpError.notFound("no image " + name + " in the served folder");
        }
        Path real = folder.resolve(name).toRealPath();
        if (!real.startsWith(folder.toRealPath())) {
            throw HttpError.notFound("no image " + name + " in the served folder");
        }
        return real;
    }

    private synchronized void remember(Image image) {
        decoded.put(image.id(), image);
        while (decoded.size() > DECODED) {
            decoded.remove(decoded.keySet().iterator().next());
        }
    }
}
