package org.cellpilot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently computed image embeddings, as heap copies, so sessions opened on the same image (a viewer going
 * back to a field of view) skip the encoder. Each session makes its own tensor from the copy, so no native
 * memory is shared between sessions.
 */
final class EmbeddingCache {
    private final int capacity;
    private final Map<String, float[]> entries;

    EmbeddingCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    boolean enabled() {
        return capacity > 0;
    }

    synchronized float[] get(String key) {
        return entries.get(key);
    }

    synchronized void put(String key, float[] embedding) {
        entries.put(key, embedding);
        while (entries.size() > capacity) {
            String eldest = entries.keySet().iterator().next();
            entries.remove(eldest);
        }
    }
}
