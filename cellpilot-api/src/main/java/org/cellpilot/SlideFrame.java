package org.cellpilot;

import java.awt.Rectangle;
import java.nio.ByteBuffer;
import java.util.OptionalDouble;
import org.cellpilot.imaging.PilResize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector's pixel grid over a slide: one detector pixel spans {@code scale} level-0 pixels, the ratio of the
 * microns per pixel the detector expects to the slide's. Tiles are read from the pyramid level closest to it (the
 * most downsampled level still at least as sharp) and resampled to the detector's grid; masks come back to level 0.
 */
final class SlideFrame {
    private static final Logger LOG = LoggerFactory.getLogger(SlideFrame.class);

    private final Slide slide;
    private final double scale;
    private final int level;

    private SlideFrame(Slide slide, double scale, int level) {
        this.slide = slide;
        this.scale = scale;
        this.level = level;
    }

    /**
     * @param slideMpp the slide's microns per level-0 pixel, NaN to take the file's
     * @param modelMpp what the detector expects; empty for a detector that works at any resolution (level 0 is used)
     */
    static SlideFrame of(Slide slide, double slideMpp, OptionalDouble modelMpp) {
        OptionalDouble fileMpp = slide.micronsPerPixel();
        double mpp = Double.isNaN(slideMpp) ? (fileMpp.isPresent() ? fileMpp.getAsDouble() : Double.NaN) : slideMpp;
        double scale = 1;
        if (modelMpp.isPresent()) {
            if (Double.isNaN(mpp)) {
                LOG.warn("{} states no usable microns per pixel: level 0 is taken as the detector's {} µm/px (set --mpp to correct it)",
                        slide.name(), modelMpp.getAsDouble());
            } else {
                scale = modelMpp.getAsDouble() / mpp;
            }
        }
        int level = slide.bestLevel(scale);
        LOG.info("detector grid: {} level-0 px per pixel, read from level {} (downsample {})", scale, level, slide.levelDownsample(level));
        return new SlideFrame(slide, scale, level);
    }

    /** Level-0 pixels per detector pixel. */
    double scale() {
        return scale;
    }

    /** The largest detector-grid rectangle inside the level-0 rectangle. */
    Rectangle toModel(Rectangle level0) {
        int x0 = (int) Math.ceil(level0.x / scale);
        int y0 = (int) Math.ceil(level0.y / scale);
        int x1 = (int) Math.floor((level0.x + (double) level0.width) / scale);
        int y1 = (int) Math.floor((level0.y + (double) level0.height) / scale);
        return new Rectangle(x0, y0, x1 - x0, y1 - y0);
    }

    /** The level-0 pixels a detector-grid rectangle covers. */
    Rectangle toLevel0(Rectangle model) {
        int x0 = (int) Math.floor(model.x * scale);
        int y0 = (int) Math.floor(model.y * scale);
        int x1 = (int) Math.min(slide.width(), Math.ceil((model.x + model.width) * scale));
        int y1 = (int) Math.min(slide.height(), Math.ceil((model.y + model.height) * scale));
        return new Rectangle(x0, y0, x1 - x0, y1 - y0);
    }

    /** The pixels of a detector-grid rectangle, read from the chosen level and resampled when the grids differ. */
    RgbImage read(Rectangle model) {
        Rectangle l0 = toLevel0(model);
        double ds = slide.levelDownsample(level);
        long lx = (long) Math.floor(l0.x / ds);
        long ly = (long) Math.floor(l0.y / ds);
        int w = (int) Math.max(1, Math.min(Math.round(l0.width / ds), slide.levelWidth(level) - lx));
        int h = (int) Math.max(1, Math.min(Math.round(l0.height / ds), slide.levelHeight(level) - ly));
        RgbImage pixels = slide.readRegion(level, l0.x, l0.y, w, h);
        if (w == model.width && h == model.height) {
            return pixels;
        }
        byte[] resized = PilResize.resize(pixels.pixels(), w, h, 3, model.width, model.height);
        return RgbImage.wrap(ByteBuffer.wrap(resized), model.width, model.height);
    }

    /** A mask found in the detector grid, with its pixels at level 0. */
    MaskRaster toLevel0(MaskRaster model) {
        return GridMapping.toLevel0(model, scale, 0, 0);
    }
}
