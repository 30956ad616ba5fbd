package org.cellpilot.torch.checkpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an unpickled checkpoint into dotted keys: every tensor under the top-level dict, through dicts, lists,
 * tuples and dict- or list-like placeholders, gets the path to it ({@code optimizer_states.0.state.3.exp_avg});
 * top-level values without tensors stay whole as metadata.
 */
final class NestedKeys {
    /** Real checkpoints nest a handful of levels; deeper means a cycle or a hostile file. */
    static final int MAX_DEPTH = 100;

    private final Map<String, TensorEntry> tensors = new LinkedHashMap<>();
    /**
     * A pickle can share one container many times over (memo references), so a walk could take exponential time
     * in the file's size; the walk gets a budget proportional to it instead.
     */
    private long budget;

    private NestedKeys(long budget) {
        this.budget = budget;
    }

    static StateDict.Contents flatten(Object top, long pickleBytes) {
        Map<?, ?> dict;
        if (top instanceof Map) {
            dict = (Map<?, ?>) top;
        } else if (top instanceof Placeholder && !((Placeholder) top).items().isEmpty()) {
            dict = ((Placeholder) top).items();
        } else {
            throw new CheckpointException("the checkpoint holds " + Unpickler.describe(top)
                    + ", not a dict of tensors (save model.state_dict(), not the model)");
        }
        NestedKeys walk = new NestedKeys(16 * pickleBytes + 100_000);
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            String key = name(e.getKey());
            if (!walk.collect(e.getValue(), key, 0)) {
                metadata.put(key, e.getValue());
            }
        }
        return new StateDict.Contents(walk.tensors, metadata);
    }

    /** Adds the tensors in {@code value} under {@code key}; says whether there were any. */
    private boolean collect(Object value, String key, int depth) {
        if (--budget < 0) {
            throw new CheckpointException("the pickle's structure is too large to walk (a container shared many times?)");
        }
        if (value instanceof TensorEntry) {
            if (tensors.putIfAbsent(key, (TensorEntry) value) != null) {
                throw new CheckpointException("two tensors have the key '" + key + "'");
            }
            return true;
        }
        if (depth >= MAX_DEPTH) {
            throw new CheckpointException("structure at '" + (key.length() > 60 ? key.substring(0, 60) + "…" : key)
                    + "' nests deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
        if (value instanceof Map) {
            return collectAll((Map<?, ?>) value, key, depth);
        }
        if (value instanceof List) {
            return collectAll((List<?>) value, key, depth);
        }
        if (value instanceof Placeholder) {
            Placeholder p = (Placeholder) value;
            return collectAll(p.items(), key, depth) | collectAll(p.elements(), key, depth);
        }
        return false;
    }

    private boolean collectAll(Map<?, ?> map, String key, int depth) {
        boolean found = false;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            found |= collect(e.getValue(), key + "." + name(e.getKey()), depth + 1);
        }
        return found;
    }

    private boolean collectAll(List<?> list, String key, int depth) {
        boolean found = false;
        for (int i = 0; i < list.size(); i++) {
            found |= collect(list.get(i), key + "." + i, depth + 1);
        }
        return found;
    }

    private static String name(Object key) {
        return key == null || key instanceof String || key instanceof Number || key instanceof Boolean ? String.valueOf(key)
                : Unpickler.describe(key);
    }
}
