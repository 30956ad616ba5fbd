package org.cellpilot;

/** Where a whole-slide run stands: tiles finished of those to do, cells found, time so far. */
public record SlideProgress(int tilesDone, int tilesTotal, long cells, long elapsedMillis) {
    /** The estimated time left from the pace so far, or -1 before the first tile is done. */
    public long etaMillis() {
        return tilesDone == 0 ? -1 : elapsedMillis * (tilesTotal - tilesDone) / tilesDone;
    }
}
