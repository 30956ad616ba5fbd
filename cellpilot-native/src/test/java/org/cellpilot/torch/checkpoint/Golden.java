package org.cellpilot.torch.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Tensor;

/**
 * The golden checkpoints in ../shared/golden (the surefire property {@code cellpilot.shared} says where), and
 * helpers to compare tensors and to build the files the tests need.
 */
final class Golden {
    static final Path ROOT = Path.of(System.getProperty("cellpilot.shared", "../shared")).resolve("golden");
    static final Path SAM_PTH = ROOT.resolve("sam_tiny/weights.pth");
    static final Path SAM_SAFETENSORS = ROOT.resolve("sam_tiny/weights.safetensors");
    static final Path CELLPILOT_CKPT = ROOT.resolve("cellpilot_tiny/cellpilot.ckpt");
    static final Path CELLVIT_PTH = ROOT.resolve("cellvit_tiny/model/weights.pth");

    private Golden() {
    }

    /** The bytes of a tensor, through a contiguous copy. */
    static ByteBuffer bytes(Tensor t) {
        try (Tensor c = Ops.contiguous(t)) {
            ByteBuffer m = c.memory();
            return ByteBuffer.allocate(m.remaining()).put(m).flip();
        }
    }

    static ByteBuffer bytes(StateDict sd, String key) {
        try (Tensor t = sd.get(key)) {
            return bytes(t);
        }
    }

    /** Every entry of a zip, by name, in order. */
    static Map<String, byte[]> unzip(Path zip) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                out.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A torch-style zip (stored, aligned) of the given entries. */
    static Path zip(Path file, Map<String, byte[]> entries) {
        OutputFile.write(file, channel -> {
            ZipWriter zip = new ZipWriter(channel);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.add(e.getKey(), ByteBuffer.wrap(e.getValue()));
            }
            zip.finish();
        });
        return file;
    }

    /** A checkpoint zip holding only {@code pickle} as data.pkl (and any storages a test adds). */
    static Path pickleZip(Path file, byte[] pickle) {
        return zip(file, Map.of("archive/data.pkl", pickle));
    }

    /** A safetensors file with this exact header text (no padding added) and data. */
    static Path safetensors(Path file, String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).put(data);
        try {
            return Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
