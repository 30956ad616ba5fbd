package org.cellpilot.examples.server;

import java.awt.Rectangle;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import org.cellpilot.Mask;

/** What the annotator keeps beside a session: its image and region, the selected mask, automatic mode's progress. */
final class Annotation {
    final ImageStore.Image image;
    final Rectangle region;
    /** The mask that prompts refine, or -1 for a new mask; changed only under the session's calls. */
    volatile long selected = -1;
    private volatile int done;
    private volatile int total;
    private volatile boolean running;
    /** Outlines already written, by mask (masks are immutable; identity keys, dropped with the mask). */
    private final Map<Mask, Object> geometries = Collections.synchronizedMap(new WeakHashMap<>());

    Annotation(ImageStore.Image image, Rectangle region) {
        this.image = image;
        this.region = region;
    }

    Object geometry(Mask m) {
        return geometries.computeIfAbsent(m, MaskGeometry::of);
    }

    void startProgress() {
        done = 0;
        total = 0;
        running = true;
    }

    void progress(int doneCells, int totalCells) {
        done = doneCells;
        total = totalCells;
    }

    void endProgress() {
        running = false;
    }

    Map<String, Object> progress() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("running", running);
        out.put("done", done);
        out.put("total", total);
        return out;
    }
}
