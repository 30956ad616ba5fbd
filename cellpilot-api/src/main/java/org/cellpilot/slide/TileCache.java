package org.cellpilot.slide;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded tiles, least recently used first out, bounded in bytes. Neighbouring regions (overlapping slide tiles, a
 * viewer panning) share most of their file tiles, so a few dozen decoded tiles save most re-decoding.
 */
final class TileCache {
    /** A file tile: level, column and row. */
    record Key(int level, int column, int row) {
    }

    private final long capacityBytes;
    private final LinkedHashMap<Key, byte[]> tiles = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    TileCache(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    synchronized byte[] get(Key key) {
        return tiles.get(key);
    }

    synchronized void put(Key key, byte[] rgb) {
        byte[] old = tiles.put(key, rgb);
        bytes += rgb.length - (old == null ? 0 : old.length);
        var it = tiles.entrySet().iterator();
        while (bytes > capacityBytes && it.hasNext()) {
            Map.Entry<Key, byte[]> eldest = it.next();
            if (eldest.getKey().equals(key)) {
                continue;
            }
            bytes -= eldest.getValue().length;
            it.remove();
        }
    }
}
