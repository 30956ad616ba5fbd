package org.cellpilot.torch.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.torch.DType;

/**
 * Reads a {@code torch.save} zip ({@code .pth}, {@code .ckpt}): {@code ROOT/data.pkl} through the restricted
 * {@link Unpickler}, and each storage {@code ROOT/data/<key>} mapped where it lies in the file. The root folder is
 * whatever the first entry lives in: torch names it after the file it first saved to.
 */
final class TorchZipReader {
    /** What a {@code torch.FloatStorage}-style global stands for: the element type of the storages it tags. */
    private record StorageType(DType dtype) {
    }

    private record Storage(String key, DType dtype, ByteBuffer data) {
    }

    private static final Unpickler.Callable ORDERED_DICT = args -> {
        if (!args.isEmpty()) {
            throw new CheckpointException("OrderedDict called with " + args.size() + " arguments; torch passes none");
        }
        return new LinkedHashMap<>();
    };
    private static final Unpickler.Callable REBUILD_TENSOR = TorchZipReader::rebuildTensor;
    /** A Parameter is its tensor; requires_grad, hooks and extra state mean nothing for inference. */
    private static final Unpickler.Callable REBUILD_PARAMETER = args -> {
        if (args.isEmpty() || !(args.get(0) instanceof TensorEntry)) {
            throw new CheckpointException("_rebuild_parameter needs a tensor as its first argument");
        }
        return args.get(0);
    };

    private final ZipArchive zip;
    private final String root;
    /** Several tensors may view one storage; it is mapped once. */
    private final Map<String, Storage> storages = new HashMap<>();

    private TorchZipReader(ZipArchive zip, String root) {
        this.zip = zip;
        this.root = root;
    }

    static boolean looksLike(byte[] head) {
        return ZipArchive.looksLike(head);
    }

    static StateDict.Contents read(FileRegions file) throws IOException {
        ZipArchive zip = ZipArchive.open(file);
        if (zip.entries().isEmpty()) {
            throw new CheckpointException("empty zip archive: not a torch.save checkpoint");
        }
        String first = zip.entries().get(0).name();
        String root = first.substring(0, first.indexOf('/') + 1);
        ZipArchive.Entry pickle = zip.entry(root + "data.pkl");
        if (pickle == null) {
            throw new CheckpointException("zip archive has no " + root + "data.pkl: not a torch.save checkpoint");
        }
        checkByteOrder(zip, root);
        byte[] pkl = zip.bytes(pickle);
        TorchZipReader reader = new TorchZipReader(zip, root);
        Object top;
        try {
            top = Unpickler.load(pkl, TorchZipReader::global, reader::storage);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return NestedKeys.flatten(top, pkl.length);
    }

    private static void checkByteOrder(ZipArchive zip, String root) throws IOException {
        ZipArchive.Entry entry = zip.entry(root + "byteorder");
        if (entry != null) {
            String order = new String(zip.bytes(entry), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new CheckpointException("byteorder is '" + (order.length() > 20 ? order.substring(0, 20) + "…" : order)
                        + "'; only little-endian checkpoints are supported");
            }
        }
    }

    /** The only names that mean something; every other one stays an inert placeholder. */
    private static Object global(String module, String name) {
        switch (module + "." + name) {
            case "collections.OrderedDict":
                return ORDERED_DICT;
            case "torch._utils._rebuild_tensor_v2":
                return REBUILD_TENSOR;
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                return REBUILD_PARAMETER;
            default:
                DType dtype = module.equals("torch") ? DTypeNames.fromStorage(name) : null;
                return dtype == null ? null : new StorageType(dtype);
        }
    }

    /** BINPERSID: {@code ('storage', StorageType, key, location, numel)}, numel counted in elements. */
    private Object storage(Object pid) {
        List<?> id = pid instanceof List ? (List<?>) pid : List.of();
        if (id.size() != 5 || !"storage".equals(id.get(0)) || !(id.get(1) instanceof StorageType)
                || !(id.get(2) instanceof String) || !(id.get(4) instanceof Long) || (Long) id.get(4) < 0) {
            throw new CheckpointException("persistent id " + Unpickler.describe(pid)
                    + " is not ('storage', type, key, location, numel)");
        }
        DType dtype = ((StorageType) id.get(1)).dtype();
        String key = (String) id.get(2);
        Storage s = storages.get(key);
        if (s == null) {
            s = new Storage(key, dtype, map(key, dtype, (Long) id.get(4)));
            storages.put(key, s);
        } else if (s.dtype != dtype) {
            throw new CheckpointException("storage '" + key + "' is used as both " + s.dtype + " and " + dtype);
        }
        return s;
    }

    private ByteBuffer map(String key, DType dtype, long numel) {
        ZipArchive.Entry entry = zip.entry(root + "data/" + key);
        if (entry == null) {
            throw new CheckpointException("storage '" + key + "' has no entry " + root + "data/" + key);
        }
        long bytes = numel > entry.size() / dtype.byteSize() ? -1 : numel * dtype.byteSize();
        if (bytes < 0) {
            throw new CheckpointException("storage '" + key + "' of " + numel + " " + dtype + " elements does not fit its "
                    + entry.size() + "-byte entry");
        }
        try {
            return zip.data(entry, dtype.byteSize()).limit((int) bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private static Object rebuildTensor(List<Object> args) {
        if (args.size() != 6 && args.size() != 7) {
            throw new CheckpointException("_rebuild_tensor_v2 takes 6 or 7 arguments, got " + args.size());
        }
        if (!(args.get(0) instanceof Storage) || !(args.get(1) instanceof Long)) {
            throw new CheckpointException("_rebuild_tensor_v2 needs a storage and an offset, got "
                    + Unpickler.describe(args.get(0)) + " and " + Unpickler.describe(args.get(1)));
        }
        Storage s = (Storage) args.get(0);
        try {
            return new TensorEntry(s.data, s.dtype, (Long) args.get(1), longs(args.get(2), "size"), longs(args.get(3), "stride"));
        } catch (CheckpointException e) {
            throw new CheckpointException("storage '" + s.key + "': " + e.getMessage(), e);
        }
    }

    private static long[] longs(Object tuple, String what) {
        if (!(tuple instanceof List)) {
            throw new CheckpointException("tensor " + what + " is " + Unpickler.describe(tuple) + ", not a tuple");
        }
        List<?> items = (List<?>) tuple;
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(items.get(i) instanceof Long)) {
                throw new CheckpointException("tensor " + what + " holds " + Unpickler.describe(items.get(i)));
            }
            out[i] = (Long) items.get(i);
        }
        return out;
    }
}
