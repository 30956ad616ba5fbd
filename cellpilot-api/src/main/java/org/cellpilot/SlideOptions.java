package org.cellpilot;

import java.awt.Rectangle;
import java.util.Objects;
import java.util.function.Consumer;

/** Settings of a whole-slide run ({@link CellPilot#segmentSlide}); every one has a default. */
public final class SlideOptions {
    /** Tile side in the detector's pixels, as CellViT's own slide inference uses. */
    public static final int DEFAULT_TILE = 1024;
    /** Pixels shared by neighbouring tiles: more than the largest cell, so the tile that owns a cell sees it whole. */
    public static final int DEFAULT_OVERLAP = 128;

    private Rectangle region;
    private double micronsPerPixel = Double.NaN;
    private boolean tissueOnly = true;
    private int tile = DEFAULT_TILE;
    private int overlap = DEFAULT_OVERLAP;
    private int workers;
    private Consumer<SlideProgress> progress = p -> { };

    public static SlideOptions defaults() {
        return new SlideOptions();
    }

    /** Only this level-0 rectangle of the slide (default: all of it). */
    public SlideOptions region(Rectangle level0) {
        this.region = new Rectangle(level0);
        return this;
    }

    /** The slide's microns per level-0 pixel, overriding what the file says (or supplying it). */
    public SlideOptions micronsPerPixel(double mpp) {
        if (!(mpp > 0) || Double.isInfinite(mpp)) {
            throw new IllegalArgumentException("microns per pixel must be positive, got " + mpp);
        }
        this.micronsPerPixel = mpp;
        return this;
    }

    /** Whether to skip tiles without tissue (default true). */
    public SlideOptions tissueOnly(boolean skipGlass) {
        this.tissueOnly = skipGlass;
        return this;
    }

    /** Tile side and overlap, in the detector's pixels. */
    public SlideOptions tiles(int side, int sharedPixels) {
        if (side <= 0 || sharedPixels < 0 || sharedPixels >= side) {
            throw new IllegalArgumentException("need 0 <= overlap < tile, got tile " + side + ", overlap " + sharedPixels);
        }
        this.tile = side;
        this.overlap = sharedPixels;
        return this;
    }

    /**
     * Tiles segmented at once. Default: one per core for the built-in or a custom detector, which run single-threaded;
     * one for SAM or CellViT, whose operators already use every core.
     */
    public SlideOptions workers(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("workers must be >= 0, got " + n);
        }
        this.workers = n;
        return this;
    }

    /** Called after each tile, on the thread that finished it (one call at a time). */
    public SlideOptions progress(Consumer<SlideProgress> listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    Rectangle region() {
        return region == null ? null : new Rectangle(region);
    }

    double micronsPerPixel() {
        return micronsPerPixel;
    }

    boolean tissueOnly() {
        return tissueOnly;
    }

    int tile() {
        return tile;
    }

    int overlap() {
        return overlap;
    }

    int workers() {
        return workers;
    }

    Consumer<SlideProgress> progress() {
        return progress;
    }
}
