package org.cellpilot.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;

/**
 * A model's named weights, owned: closing frees every tensor. {@link #at(String)} gives a view of the names
 * under a prefix, so each component is built from its own part of the checkpoint, as in Meta's modules.
 */
public final class Weights implements AutoCloseable {
    private final Map<String, Tensor> tensors;
    private final String prefix;
    private final String source;
    /** Shared by the root and its views, so that a view of closed weights says so. */
    private final AtomicBoolean closed;

    private Weights(Map<String, Tensor> tensors, String prefix, String source, AtomicBoolean closed) {
        this.tensors = tensors;
        this.prefix = prefix;
        this.source = source;
        this.closed = closed;
    }

    /** Takes ownership of {@code tensors}; {@code source} names the checkpoint in error messages. */
    public static Weights of(Map<String, Tensor> tensors, String source) {
        return new Weights(new LinkedHashMap<>(tensors), "", source, new AtomicBoolean());
    }

    /**
     * Every tensor of {@code stateDict}, owned. float32 tensors alias the file's mapped memory, so they cost no
     * copy; float16 and bfloat16 ones are converted to float32 (see {@link #float32}).
     */
    public static Weights load(StateDict stateDict) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try {
            for (String key : stateDict.keys()) {
                tensors.put(key, float32(stateDict.get(key)));
            }
        } catch (RuntimeException e) {
            tensors.values().forEach(Tensor::close);
            throw e;
        }
        return of(tensors, stateDict.source().toString());
    }

    /**
     * The models compute in float32, so a checkpoint saved in half precision (Hugging Face's SAM files often are)
     * is widened once, at load: {@code t} itself when it is not float16 or bfloat16, else a float32 copy, and
     * {@code t} is closed.
     */
    public static Tensor float32(Tensor t) {
        if (t.dtype() != DType.FLOAT16 && t.dtype() != DType.BFLOAT16) {
            return t;
        }
        try (t) {
            return Scope.detach(Ops.to(t, DType.FLOAT32));
        }
    }

    /** The names under {@code sub} (e.g. "blocks.3."), relative to it. */
    public Weights at(String sub) {
        return new Weights(tensors, prefix + sub, source, closed);
    }

    public boolean has(String name) {
        return tensors.containsKey(prefix + name);
    }

    /** The tensor called {@code name}; an error names the key and the checkpoint if it is missing. */
    public Tensor get(String name) {
        if (closed.get()) {
            throw new IllegalStateException("the model of " + source + " is closed");
        }
        Tensor t = tensors.get(prefix + name);
        if (t == null) {
            throw new IllegalArgumentException("missing key '" + prefix + name + "' in " + source);
        }
        return t;
    }

    /** The tensor called {@code name} with exactly {@code shape}, else an error that names both shapes. */
    public Tensor get(String name, long... shape) {
        Tensor t = get(name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("key '" + prefix + name + "' in " + source + " has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
        }
        return t;
    }

    /** Checks a layer's {@code name.weight} against {@code weightShape} and its {@code name.bias} against [weightShape[0]]. */
    public void expectLayer(String name, long... weightShape) {
        get(name + ".weight", weightShape);
        get(name + ".bias", weightShape[0]);
    }

    /** Checks a normalisation layer's {@code name.weight} and {@code name.bias}, both [dim]. */
    public void expectNorm(String name, long dim) {
        get(name + ".weight", dim);
        get(name + ".bias", dim);
    }

    /** Checks that every name exists, naming all that are missing at once. */
    public void require(String... names) {
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            if (!has(n)) {
                missing.add("'" + prefix + n + "'");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing key" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " in " + source);
        }
    }

    /** Replaces the tensor called {@code name} by {@code replacement}, freeing the old one. */
    public void replace(String name, Tensor replacement) {
        Tensor old = tensors.put(prefix + name, replacement);
        if (old != null) {
            old.close();
        }
    }

    /**
     * Copies every tensor under this view that is not on {@code device} there, freeing the original: a model's
     * weights are moved once, at load, to where the model runs.
     */
    public void moveTo(Device device) {
        for (String name : names()) {
            Tensor t = get(name);
            if (!t.device().equals(device)) {
                replace(name, Scope.detach(Ops.to(t, device)));
            }
        }
    }

    public Tensor optional(String name) {
        return tensors.get(prefix + name);
    }

    public long[] shape(String name) {
        return get(name).shape();
    }

    /** How many consecutive {@code name.N.} groups exist from N = 0 (e.g. transformer blocks). */
    public int count(String name) {
        Set<Integer> found = new TreeSet<>();
        String p = prefix + name + ".";
        for (String k : tensors.keySet()) {
            if (k.startsWith(p)) {
                String rest = k.substring(p.length());
                int dot = rest.indexOf('.');
                String n = dot < 0 ? rest : rest.substring(0, dot);
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                    found.add(Integer.parseInt(n));
                }
            }
        }
        int n = 0;
        while (found.contains(n)) {
            n++;
        }
        return n;
    }

    /** Names under this view, relative to it. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (String k : tensors.keySet()) {
            if (k.startsWith(prefix)) {
                out.add(k.substring(prefix.length()));
            }
        }
        return Collections.unmodifiableList(out);
    }

    public String source() {
        return source;
    }

    /** Frees every tensor; only the root view (prefix "") may do so. */
    @Override
    public void close() {
        if (!prefix.isEmpty()) {
            throw new IllegalStateException("close the root Weights, not a view of it");
        }
        closed.set(true);
        for (Tensor t : tensors.values()) {
            t.close();
        }
        tensors.clear();
    }
}
