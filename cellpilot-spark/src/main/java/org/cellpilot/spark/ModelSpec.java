package org.cellpilot.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;
import org.cellpilot.CellPilot;
import org.cellpilot.detect.HematoxylinDetector;
import org.cellpilot.detect.StainVectors;
import org.cellpilot.torch.Device;

/**
 * The models an executor loads, as the driver names them: SAM and CellViT weights (a path every executor can
 * read, a Hadoop URI, or the name of a file shipped with {@code spark-submit --files}), the stains of the
 * built-in detector when there is no CellViT, the device, and libtorch's intra-op threads.
 */
record ModelSpec(String sam, String cellvit, String stain, String device, int threads) implements Serializable {
    ModelSpec {
        StainVectors.named(stain);
        Device.parse(device);
    }

    ModelSpec withThreads(int n) {
        return new ModelSpec(sam, cellvit, stain, device, n);
    }

    CellPilot load() throws IOException {
        CellPilot.Builder b = CellPilot.builder().device(Device.parse(device)).threads(threads)
                .sam(weights(sam)).cellvit(weights(cellvit));
        if (cellvit == null) {
            b.detector(HematoxylinDetector.builder().stains(StainVectors.named(stain)).build());
        }
        return b.build();
    }

    /** A weights file on this executor: shipped with --files when the name alone is given and not found here. */
    private static Path weights(String name) throws IOException {
        if (name == null) {
            return null;
        }
        Path local = LocalFiles.of(name);
        if (!Files.exists(local) && !local.isAbsolute()) {
            Path shipped = Path.of(SparkFiles.get(local.getFileName().toString()));
            if (Files.exists(shipped)) {
                return shipped;
            }
        }
        if (!Files.isReadable(local)) {
            throw new IllegalArgumentException("weights " + name + " not found on this executor: give a path on storage "
                    + "every executor reads, or ship the file with spark-submit --files and give its name");
        }
        return local;
    }
}
