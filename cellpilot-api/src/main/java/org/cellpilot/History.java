package org.cellpilot;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Undo and redo for a session's masks. A change records, for every mask id it touched, the state before and
 * after (null: absent). The undo depth is bounded, because each state keeps its low-res logits for refinement.
 */
final class History {
    /** One mask as the session keeps it: the public mask and, when SAM made it, its low-res logits. */
    record State(Mask mask, float[] lowResLogits) {
    }

    record Change(Map<Long, State> before, Map<Long, State> after) {
    }

    private final int depth;
    private final Deque<Change> undo = new ArrayDeque<>();
    private final Deque<Change> redo = new ArrayDeque<>();

    History(int depth) {
        this.depth = depth;
    }

    void record(Change c) {
        undo.push(c);
        redo.clear();
        while (undo.size() > depth) {
            undo.removeLast();
        }
    }

    /** The change to revert, or null if there is none. */
    Change undo() {
        Change c = undo.poll();
        if (c != null) {
            redo.push(c);
        }
        return c;
    }

    /** The change to apply again, or null if there is none. */
    Change redo() {
        Change c = redo.poll();
        if (c != null) {
            undo.push(c);
        }
        return c;
    }
}
