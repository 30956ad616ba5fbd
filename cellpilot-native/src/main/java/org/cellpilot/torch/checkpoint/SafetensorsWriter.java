package org.cellpilot.torch.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.torch.Tensor;

/**
 * Writes tensors (any dtype, any device, any strides: each is written as a contiguous CPU copy) and optional
 * string metadata to a safetensors file that {@code safetensors.torch.load_file} reads back.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    public static void write(Path file, Map<String, Tensor> tensors) {
        write(file, tensors, Map.of());
    }

    /**
     * Header keys keep the map's order. The data is laid out widest element type first, with no gaps (the
     * reference reader refuses gaps), so that every tensor starts aligned to its element size and maps in place.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        if (tensors.containsKey(SafetensorsReader.METADATA)) {
            throw new IllegalArgumentException("'" + SafetensorsReader.METADATA + "' is reserved and cannot name a tensor");
        }
        List<Map.Entry<String, Tensor>> layout = new ArrayList<>(tensors.entrySet());
        layout.sort(Comparator.comparingInt(e -> -e.getValue().dtype().byteSize()));
        Map<String, long[]> offsets = new LinkedHashMap<>();
        long end = 0;
        for (Map.Entry<String, Tensor> e : layout) {
            long begin = end;
            end += e.getValue().numel() * e.getValue().dtype().byteSize();
            offsets.put(e.getKey(), new long[] {begin, end});
        }
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put(SafetensorsReader.METADATA, metadata);
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", DTypeNames.safetensorsName(e.getValue().dtype()));
            info.put("shape", e.getValue().shape());
            info.put("data_offsets", offsets.get(e.getKey()));
            header.put(e.getKey(), info);
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        // Spaces pad the header so that the data starts 8-byte aligned; JSON ignores them.
        int padded = (json.length + 7) & ~7;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        Arrays.fill(head.array(), 8 + json.length, head.capacity(), (byte) ' ');
        head.clear();
        OutputFile.write(file, channel -> {
            OutputFile.writeFully(channel, head);
            for (Map.Entry<String, Tensor> e : layout) {
                OutputFile.withBytes(e.getValue(), bytes -> OutputFile.writeFully(channel, bytes));
            }
        });
    }
}
