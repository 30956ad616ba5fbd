package org.cellpilot.torch.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.torch.Tensor;

/**
 * Writes tensors as a {@code torch.save} zip that {@code torch.load(..., weights_only=True)} and {@link StateDict}
 * read: stored, 64-byte-aligned entries, a protocol-2 {@code data.pkl} of an {@code OrderedDict} of
 * {@code _rebuild_tensor_v2} calls, {@code version} 3 and {@code byteorder} little. Each tensor is written as a
 * contiguous CPU copy with its own storage.
 */
public final class TorchZipWriter {
    private static final String ROOT = "archive/";

    /** A tensor as torch.save records it: a window, offset and strides in elements, into one of the storages. */
    record View(int storage, long offset, long[] shape, long[] strides) {
    }

    private TorchZipWriter() {
    }

    public static void write(Path file, Map<String, Tensor> tensors) {
        write(file, tensors, null);
    }

    /**
     * With {@code nestUnder} (e.g. {@code "state_dict"}), the file holds {@code {nestUnder: OrderedDict(...)}} as a
     * Lightning checkpoint does; with null, the OrderedDict itself, as {@code torch.save(model.state_dict())} does.
     */
    public static void write(Path file, Map<String, Tensor> tensors, String nestUnder) {
        List<Tensor> storages = new ArrayList<>(tensors.values());
        Map<String, View> views = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long[] shape = e.getValue().shape();
            views.put(e.getKey(), new View(views.size(), 0, shape, Tensor.contiguousStrides(shape)));
        }
        write(file, storages, views, nestUnder);
    }

    /** The general form, which can share storages and write strided views: storage i holds the bytes of tensor i. */
    static void write(Path file, List<Tensor> storages, Map<String, View> views, String nestUnder) {
        byte[] pickle = pickle(storages, views, nestUnder);
        OutputFile.write(file, channel -> {
            ZipWriter zip = new ZipWriter(channel);
            zip.add(ROOT + "data.pkl", ByteBuffer.wrap(pickle));
            zip.add(ROOT + "byteorder", ascii("little"));
            for (int i = 0; i < storages.size(); i++) {
                String name = ROOT + "data/" + i;
                OutputFile.withBytes(storages.get(i), bytes -> zip.add(name, bytes));
            }
            zip.add(ROOT + "version", ascii("3\n"));
            zip.finish();
        });
    }

    private static byte[] pickle(List<Tensor> storages, Map<String, View> views, String nestUnder) {
        PickleWriter p = new PickleWriter();
        if (nestUnder != null) {
            p.op('}').string(nestUnder);
        }
        p.global("collections", "OrderedDict").op(')').op('R').op('(');
        for (Map.Entry<String, View> e : views.entrySet()) {
            View v = e.getValue();
            Tensor storage = storages.get(v.storage);
            p.string(e.getKey()).global("torch._utils", "_rebuild_tensor_v2").op('(');
            p.op('(').string("storage").global("torch", DTypeNames.storageName(storage.dtype()))
                    .string(Integer.toString(v.storage)).string("cpu").integer(storage.numel()).op('t').op('Q');
            p.integer(v.offset).tuple(v.shape).tuple(v.strides).op(0x89); // NEWFALSE: requires_grad
            p.global("collections", "OrderedDict").op(')').op('R'); // backward_hooks
            p.op('t').op('R');
        }
        p.op('u');
        if (nestUnder != null) {
            p.op('s');
        }
        return p.op('.').toBytes();
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
