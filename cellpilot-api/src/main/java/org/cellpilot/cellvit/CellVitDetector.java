package org.cellpilot.cellvit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.cellpilot.RgbImage;
import org.cellpilot.detect.Nucleus;
import org.cellpilot.detect.NucleusDetector;
import org.cellpilot.imaging.BoundingBox;
import org.cellpilot.torch.Device;

/**
 * Nuclei from a CellViT checkpoint: the network over the image in overlapping tiles, HoVer-Net post-processing and
 * CellViT's merge (see {@link CellVitTiler}). Expects 40× images (about 0.25 µm per pixel), as the published
 * models were trained on. Thread-safe; closing frees the model.
 */
public final class CellVitDetector implements NucleusDetector {
    /** 40×, the resolution of PanNuke, which the published CellViT models were trained on. */
    private static final double MICRONS_PER_PIXEL = 0.25;

    private final CellVit model;
    private final CellVitTiler tiler;

    private CellVitDetector(CellVit model, CellVitTiler tiler) {
        this.model = model;
        this.tiler = tiler;
    }

    /** Loads a CellViT-256 or CellViT-SAM checkpoint (ViT-256 with its default 6 heads). */
    public static CellVitDetector load(Path checkpoint) {
        return load(checkpoint, Device.cpu());
    }

    /**
     * The same with the network on {@code device}; the post-processing runs on the CPU whatever the device, on maps
     * copied back from it.
     */
    public static CellVitDetector load(Path checkpoint, Device device) {
        CellVit model = CellVit.load(checkpoint, VisionTransformer256.DEFAULT_HEADS, device);
        return new CellVitDetector(model, new CellVitTiler(model));
    }

    /** Takes ownership of {@code model}, with tiles of {@code tile} pixels: tests use small ones to get many seams. */
    static CellVitDetector of(CellVit model, int tile) {
        return new CellVitDetector(model, new CellVitTiler(model, tile));
    }

    /** Every nucleus with everything CellViT says about it. */
    public List<Cell> cells(RgbImage image) {
        return tiler.detect(image);
    }

    @Override
    public OptionalDouble micronsPerPixel() {
        return OptionalDouble.of(MICRONS_PER_PIXEL);
    }

    @Override
    public List<Nucleus> detect(RgbImage image) {
        List<Nucleus> nuclei = new ArrayList<>();
        for (Cell c : cells(image)) {
            BoundingBox b = c.bbox();
            nuclei.add(new Nucleus(new int[] {b.colMin(), b.rowMin(), b.colMax(), b.rowMax()}, c.type(), c.typeProbability(),
                    c.mask()));
        }
        return nuclei;
    }

    @Override
    public void close() {
        model.close();
    }
}
