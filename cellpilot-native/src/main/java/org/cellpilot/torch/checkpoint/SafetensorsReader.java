package org.cellpilot.torch.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.torch.DType;

/**
 * Reads a safetensors file: an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}}, then the raw little-endian data,
 * with offsets relative to the end of the header. Tensors are views of the file's mapping.
 */
final class SafetensorsReader {
    /** The limit of the reference implementation: a larger header is corruption, not a model. */
    static final long MAX_HEADER_BYTES = 100L << 20;
    static final String METADATA = "__metadata__";

    private record Region(String name, DType dtype, long[] shape, long begin, long end) {
    }

    private SafetensorsReader() {
    }

    /**
     * Whether a file starting with {@code head} claims to be safetensors: a header length, then '{'. The length is
     * not judged here, so that a corrupt one is reported as such rather than as a foreign file.
     */
    static boolean looksLike(byte[] head) {
        return head.length >= 9 && head[8] == '{' && headerLength(head) != 0;
    }

    static StateDict.Contents read(FileRegions file) throws IOException {
        long fileSize = file.size();
        if (fileSize < 8) {
            throw new CheckpointException("a " + fileSize + "-byte file cannot hold a safetensors header");
        }
        long n = headerLength(file.read(0, 8));
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new CheckpointException("safetensors header length " + Long.toUnsignedString(n) + " is over the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (8 + n > fileSize) {
            throw new CheckpointException("safetensors header of " + n + " bytes runs past the end of the " + fileSize
                    + "-byte file (truncated?)");
        }
        Map<?, ?> header = parseHeader(file.read(8, (int) n));
        long dataStart = 8 + n;
        long dataSize = fileSize - dataStart;
        Map<String, Object> metadata = new LinkedHashMap<>();
        List<Region> regions = new ArrayList<>(header.size());
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                metadata.putAll(metadata(e.getValue()));
            } else {
                regions.add(region(name, e.getValue(), dataSize));
            }
        }
        checkDisjoint(regions);
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        for (Region r : regions) {
            ByteBuffer data = file.map(dataStart + r.begin, r.end - r.begin, r.dtype.byteSize());
            tensors.put(r.name, TensorEntry.contiguous(data, r.dtype, r.shape));
        }
        return new StateDict.Contents(tensors, metadata);
    }

    private static long headerLength(byte[] head) {
        return ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static Map<?, ?> parseHeader(byte[] bytes) {
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            text = chars.toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException("safetensors header is not valid UTF-8", e);
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("safetensors header: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map)) {
            throw new CheckpointException("safetensors header is not a JSON object");
        }
        return (Map<?, ?>) parsed;
    }

    private static Map<String, String> metadata(Object value) {
        if (!(value instanceof Map)) {
            throw new CheckpointException("safetensors " + METADATA + " is not an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            if (!(e.getValue() instanceof String)) {
                throw new CheckpointException("safetensors " + METADATA + " value of \"" + e.getKey() + "\" is not a string");
            }
            out.put((String) e.getKey(), (String) e.getValue());
        }
        return out;
    }

    private static Region region(String name, Object value, long dataSize) {
        if (!(value instanceof Map)) {
            throw new CheckpointException("tensor '" + name + "': header entry is not an object");
        }
        Map<?, ?> info = (Map<?, ?>) value;
        Object dtypeName = field(info, "dtype", name);
        DType dtype = dtypeName instanceof String ? DTypeNames.fromSafetensors((String) dtypeName) : null;
        if (dtype == null) {
            throw new CheckpointException("tensor '" + name + "': unsupported dtype " + Json.write(dtypeName));
        }
        long[] shape = naturals(field(info, "shape", name), "shape", name);
        long[] offsets = naturals(field(info, "data_offsets", name), "data_offsets", name);
        if (offsets.length != 2 || offsets[0] > offsets[1] || offsets[1] > dataSize) {
            throw new CheckpointException("tensor '" + name + "': data_offsets " + Arrays.toString(offsets)
                    + " are not a range inside the " + dataSize + " data bytes");
        }
        long bytes;
        try {
            bytes = dtype.byteSize();
            for (long d : shape) {
                bytes = Math.multiplyExact(bytes, d);
            }
        } catch (ArithmeticException overflow) {
            bytes = -1;
        }
        if (bytes != offsets[1] - offsets[0]) {
            throw new CheckpointException("tensor '" + name + "': " + dtypeName + Arrays.toString(shape) + " needs "
                    + (bytes < 0 ? "more than 2^63" : Long.toString(bytes)) + " bytes but data_offsets "
                    + Arrays.toString(offsets) + " hold " + (offsets[1] - offsets[0]));
        }
        return new Region(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static Object field(Map<?, ?> info, String key, String name) {
        if (!info.containsKey(key)) {
            throw new CheckpointException("tensor '" + name + "': no \"" + key + "\" in its header entry");
        }
        return info.get(key);
    }

    private static long[] naturals(Object value, String key, String name) {
        if (!(value instanceof List)) {
            throw new CheckpointException("tensor '" + name + "': \"" + key + "\" is not an array");
        }
        List<?> list = (List<?>) value;
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (!(v instanceof Long) || (Long) v < 0) {
                throw new CheckpointException("tensor '" + name + "': \"" + key + "\" holds " + Json.write(v)
                        + ", not a non-negative integer");
            }
            out[i] = (Long) v;
        }
        return out;
    }

    /** Two tensors writing the same bytes would make one file mean two things; empty regions overlap nothing. */
    private static void checkDisjoint(List<Region> regions) {
        Region[] sorted = regions.stream().filter(r -> r.end > r.begin).sorted(Comparator.comparingLong(Region::begin))
                .toArray(Region[]::new);
        for (int i = 1; i < sorted.length; i++) {
            Region a = sorted[i - 1];
            Region b = sorted[i];
            if (b.begin < a.end) {
                throw new CheckpointException("tensors '" + a.name + "' [" + a.begin + ", " + a.end + ") and '" + b.name
                        + "' [" + b.begin + ", " + b.end + ") overlap");
            }
        }
    }
}
