package org.cellpilot.torch.loader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the libtorch shared libraries and returns them in the order they must be loaded.
 *
 * <p>Either {@code CELLPILOT_LIBTORCH} (environment variable or system property) names an existing libtorch
 * directory (a CUDA libtorch zip, or {@code site-packages/torch/lib}), or the libraries are extracted from the
 * {@code org.bytedeco:pytorch} and {@code org.bytedeco:openblas} jars on the class path into a versioned cache
 * ({@code ~/.cache/cellpilot}, overridable with {@code CELLPILOT_CACHE} or {@code -Dcellpilot.cache}).
 */
public final class NativeLibraries {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibraries.class);

    /** The version of the bundled libtorch jars; part of the cache folder's name. */
    public static final String BUNDLED_VERSION = "pytorch-2.10.0-1.5.13_openblas-0.3.31-1.5.13";

    /** Dependency order: each library's NEEDED entries resolve, by soname, to one loaded before it. */
    private static final String[][] BUNDLED = {
        {"org/bytedeco/openblas/linux-x86_64/", "libquadmath.so.0"},
        {"org/bytedeco/openblas/linux-x86_64/", "libgfortran.so.5"},
        {"org/bytedeco/openblas/linux-x86_64/", "libopenblas.so.0"},
        {"org/bytedeco/pytorch/linux-x86_64/", "libgomp.so.1"},
        {"org/bytedeco/pytorch/linux-x86_64/", "libc10.so"},
        {"org/bytedeco/pytorch/linux-x86_64/", "libtorch_cpu.so"},
    };

    private NativeLibraries() {
    }

    /** What to load: the libraries in order, and optional CUDA libraries loaded after them. */
    public record Plan(Path directory, List<Path> libraries, List<Path> cudaLibraries) {
    }

    public static Plan plan() {
        Optional<String> user = setting("CELLPILOT_LIBTORCH", "cellpilot.libtorch");
        if (user.isPresent()) {
            return userDirectory(Paths.get(user.get()));
        }
        return bundled(cacheRoot().resolve(BUNDLED_VERSION));
    }

    static Plan userDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("CELLPILOT_LIBTORCH=" + dir + " is not a directory");
        }
        Path cpu = dir.resolve("libtorch_cpu.so");
        if (!Files.isRegularFile(cpu)) {
            throw new IllegalStateException("CELLPILOT_LIBTORCH=" + dir + " has no libtorch_cpu.so; point it at libtorch's lib folder");
        }
        // A user libtorch finds its own dependencies through its RUNPATH, so only the torch libraries are named.
        List<Path> libs = new ArrayList<>();
        libs.add(dir.resolve("libc10.so"));
        libs.add(cpu);
        List<Path> cuda = new ArrayList<>();
        for (String name : new String[] {"libc10_cuda.so", "libtorch_cuda.so"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                cuda.add(p);
            }
        }
        return new Plan(dir, libs, cuda);
    }

    static Plan bundled(Path cache) {
        List<Path> libs = new ArrayList<>();
        try {
            Files.createDirectories(cache);
            for (String[] entry : BUNDLED) {
                libs.add(extract(entry[0] + entry[1], cache.resolve(entry[1])));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract libtorch into " + cache + ": " + e.getMessage(), e);
        }
        return new Plan(cache, libs, List.of());
    }

    /**
     * Extracts one resource unless an earlier extraction already left it. A finished extraction leaves
     * {@code NAME.sha256} beside the file with its size and hash; later starts only compare the size.
     */
    static Path extract(String resource, Path target) throws IOException {
        URL url = NativeLibraries.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException("resource " + resource + " is not on the class path; add org.bytedeco:pytorch and "
                    + "org.bytedeco:openblas (classifier linux-x86_64) or set CELLPILOT_LIBTORCH");
        }
        Path stamp = target.resolveSibling(target.getFileName() + ".sha256");
        if (Files.isRegularFile(target) && Files.isRegularFile(stamp)) {
            String[] recorded = Files.readString(stamp, StandardCharsets.US_ASCII).trim().split(" ");
            if (recorded.length == 2 && Long.parseLong(recorded[0]) == Files.size(target)) {
                return target;
            }
        }
        LOG.info("extracting {} to {}", resource, target);
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = url.openStream();
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                in.transferTo(out);
            }
            long size = Files.size(tmp);
            String hash = HexFormat.of().formatHex(sha.digest());
            // Two JVMs may extract at once: each renames its own complete copy into place, so a reader never
            // sees a partial file; the stamp is written last and marks the extraction as finished.
            move(tmp, target);
            Path stampTmp = Files.createTempFile(target.getParent(), stamp.getFileName().toString(), ".part");
            Files.writeString(stampTmp, size + " " + hash + "\n", StandardCharsets.US_ASCII);
            move(stampTmp, stamp);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static Path cacheRoot() {
        Optional<String> configured = setting("CELLPILOT_CACHE", "cellpilot.cache");
        if (configured.isPresent()) {
            return Paths.get(configured.get());
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return base.resolve("cellpilot");
    }

    /** A system property wins over the environment variable of the same meaning. */
    public static Optional<String> setting(String env, String property) {
        String p = System.getProperty(property);
        if (p != null && !p.isBlank()) {
            return Optional.of(p);
        }
        String e = System.getenv(env);
        return e != null && !e.isBlank() ? Optional.of(e) : Optional.empty();
    }

    /** Formats an ABI version as major.minor. */
    public static String versionString(long abiVersion) {
        return String.format(Locale.ROOT, "%d.%d", (abiVersion >>> 56) & 0xff, (abiVersion >>> 48) & 0xff);
    }
}
