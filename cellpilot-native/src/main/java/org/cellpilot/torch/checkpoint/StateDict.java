package org.cellpilot.torch.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Tensor;

/**
 * The tensors of a checkpoint file by dotted key, read without copying: a PyTorch {@code torch.save} zip
 * ({@code .pth}, Lightning {@code .ckpt}) or a safetensors file, told apart by content.
 *
 * <p>Nested dicts become dotted keys ({@code state_dict.sam.image_encoder.pos_embed}), in file order. Top-level
 * values that hold no tensor ({@code arch}, {@code config}, Lightning's {@code hyper_parameters}) stay available
 * as {@linkplain #metadata plain Java objects}. Loading parses the header or pickle once and maps the data;
 * {@link #get} then only wraps mapped memory. A state dict holds no native handle and needs no closing; it is
 * immutable and safe to share between threads (the metadata objects it hands out are shared too: treat them as
 * read-only).
 */
public final class StateDict {
    /** What a reader found: tensors by flattened key, and the tensor-free top-level values. */
    record Contents(Map<String, TensorEntry> tensors, Map<String, Object> metadata) {
    }

    private final Path source;
    /** Prepended to keys in messages, so that an error names the key as it is in the file. */
    private final String prefix;
    private final Map<String, TensorEntry> tensors;
    private final Map<String, Object> metadata;

    private StateDict(Path source, String prefix, Map<String, TensorEntry> tensors, Map<String, Object> metadata) {
        this.source = source;
        this.prefix = prefix;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Reads the index of {@code file}. Malformed or unsupported files throw {@link CheckpointException} naming the
     * file and the problem; I/O failures throw {@link UncheckedIOException}.
     */
    public static StateDict load(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileRegions regions = new FileRegions(channel);
            long size = regions.size();
            byte[] head = regions.read(0, (int) Math.min(size, 16));
            boolean zip = TorchZipReader.looksLike(head);
            if (!zip && !SafetensorsReader.looksLike(head)) {
                throw new CheckpointException(isPickle(head) ? file + ": legacy torch.save format, re-save with torch>=1.6"
                        : "not a PyTorch or safetensors checkpoint: " + file + (size == 0 ? " (the file is empty)" : ""));
            }
            Contents contents;
            try {
                contents = zip ? TorchZipReader.read(regions) : SafetensorsReader.read(regions);
            } catch (CheckpointException e) {
                throw new CheckpointException(file + ": " + e.getMessage(), e);
            }
            return new StateDict(file, "", contents.tensors(), contents.metadata());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Before the zip format (torch 1.6), torch.save wrote a bare pickle stream: PROTO 2 and a magic number. */
    private static boolean isPickle(byte[] head) {
        return head.length >= 2 && head[0] == (byte) 0x80 && head[1] >= 2 && head[1] <= 5;
    }

    public Path source() {
        return source;
    }

    /** The tensor keys, in file order. */
    public Set<String> keys() {
        return tensors.keySet();
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    public long[] shape(String key) {
        return entry(key).shape.clone();
    }

    public DType dtype(String key) {
        return entry(key).dtype;
    }

    /**
     * A new tensor that aliases the file's mapped memory; the caller owns it (even inside a
     * {@link org.cellpilot.torch.Scope}) and must close it. The memory is read-only: an in-place op on this tensor
     * would fault, so clone it first if it must change.
     */
    public Tensor get(String key) {
        return entry(key).create();
    }

    /**
     * The keys under {@code prefix} (a trailing dot is implied), with the prefix removed:
     * {@code withPrefix("state_dict.sam").get("image_encoder.pos_embed")}. Metadata stays that of the file.
     */
    public StateDict withPrefix(String prefix) {
        String p = prefix.isEmpty() || prefix.endsWith(".") ? prefix : prefix + ".";
        Map<String, TensorEntry> under = new LinkedHashMap<>();
        for (Map.Entry<String, TensorEntry> e : tensors.entrySet()) {
            if (e.getKey().startsWith(p)) {
                under.put(e.getKey().substring(p.length()), e.getValue());
            }
        }
        return new StateDict(source, this.prefix + p, under, metadata);
    }

    /** The top-level keys whose values hold no tensor. */
    public Set<String> metadataKeys() {
        return metadata.keySet();
    }

    /**
     * A top-level value that holds no tensor, or null when there is none: {@code String}, {@code Long},
     * {@code Double}, {@code Boolean}, {@code Map}, {@code List} (Python lists and tuples), or a {@link Placeholder}
     * for an object of a class the reader does not know. A safetensors file's {@code __metadata__} entries are
     * strings here.
     */
    public Object metadata(String key) {
        return metadata.get(key);
    }

    private TensorEntry entry(String key) {
        TensorEntry e = tensors.get(key);
        if (e == null) {
            throw new CheckpointException("missing key '" + prefix + key + "' in " + source);
        }
        return e;
    }

    @Override
    public String toString() {
        return "StateDict(" + source + (prefix.isEmpty() ? "" : ", under '" + prefix + "'") + ", " + tensors.size()
                + " tensors)";
    }
}
