package org.cellpilot;

import java.util.List;
import java.util.Optional;

/**
 * One segmented object: a cell from automatic segmentation or an object a user prompted (a gland, say).
 * Immutable; refining a mask produces a new {@code Mask} with the same id.
 */
public final class Mask {
    /** How the mask was made. */
    public enum Source { AUTOMATIC, INTERACTIVE }

    private final long id;
    private final MaskRaster raster;
    private final double predictedIou;
    private final CellType type;
    private final double typeProbability;
    private final Source source;
    private final List<Prompt> prompts;
    /** Traced at first use; a race only traces twice, to the same result. */
    private volatile List<Polygon> polygons;

    Mask(long id, MaskRaster raster, double predictedIou, CellType type, double typeProbability, Source source, List<Prompt> prompts) {
        this.id = id;
        this.raster = raster;
        this.predictedIou = predictedIou;
        this.type = type;
        this.typeProbability = typeProbability;
        this.source = source;
        this.prompts = List.copyOf(prompts);
    }

    public long id() {
        return id;
    }

    public MaskRaster raster() {
        return raster;
    }

    /** {x0, y0, x1, y1} in full-image pixels, x1 and y1 exclusive. */
    public int[] bbox() {
        return raster.bounds();
    }

    public long area() {
        return raster.area();
    }

    /** SAM's own estimate of this mask's IoU with the true object (or 1 for masks that SAM did not make). */
    public double predictedIou() {
        return predictedIou;
    }

    /** The nucleus type, for cells that a typing detector (CellViT) found. */
    public Optional<CellType> type() {
        return Optional.ofNullable(type);
    }

    /** The detector's probability for {@link #type()}, NaN when there is no type. */
    public double typeProbability() {
        return typeProbability;
    }

    public Source source() {
        return source;
    }

    /**
     * The outline: one polygon per 4-connected part, with its holes, along the pixel edges in full-image
     * coordinates (see {@link Polygon}: the area is the pixel count, and the pixels whose centres lie inside are
     * exactly this mask's), in the raster order of the parts' first pixels. Empty for an empty mask.
     */
    public List<Polygon> polygons() {
        List<Polygon> p = polygons;
        if (p == null) {
            p = Outlines.trace(raster);
            polygons = p;
        }
        return p;
    }

    /** The prompts that made this mask, oldest first. */
    public List<Prompt> prompts() {
        return prompts;
    }

    Mask withId(long newId) {
        return new Mask(newId, raster, predictedIou, type, typeProbability, source, prompts);
    }

    @Override
    public String toString() {
        int[] b = bbox();
        return "Mask#" + id + "[" + source + ", bbox " + b[0] + "," + b[1] + "-" + b[2] + "," + b[3] + ", area " + area()
                + (type == null ? "" : ", " + type.displayName()) + "]";
    }
}
