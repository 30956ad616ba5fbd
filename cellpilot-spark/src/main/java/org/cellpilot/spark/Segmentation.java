package org.cellpilot.spark;

import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import org.cellpilot.CellPilot;
import org.cellpilot.Mask;
import org.cellpilot.Slide;
import org.cellpilot.SlideOptions;
import org.cellpilot.SlideTile;

/**
 * How an image is segmented, decided by {@link Slide#segmentedWhole()} as in {@code cellpilot segment}, so that the
 * job's cells are the CLI's: a plain image, or a slide of at most 4096² level-0 pixels, is segmented whole in
 * memory; a larger slide tile by tile under the whole-slide plan ({@link CellPilot#planSlide}, {@link CellPilot#segmentSlideTile}), whose
 * tiles, ownership rule and cell ids are those of the CLI's streamed run.
 *
 * @param mpp the slides' microns per level-0 pixel, overriding the files'; NaN to take the files'
 */
record Segmentation(ModelSpec models, double mpp) implements Serializable {
    CellPilot cellPilot() {
        return ExecutorModels.forTask(models);
    }

    List<SlideTile> plan(Slide slide) {
        return cellPilot().planSlide(slide, options());
    }

    /** The cells that {@code tile} owns, in level-0 pixels; UncheckedIOException when it cannot be read. */
    List<Mask> segment(Slide slide, SlideTile tile) {
        return cellPilot().segmentSlideTile(slide, options(), tile);
    }

    private SlideOptions options() {
        SlideOptions options = SlideOptions.defaults();
        if (!Double.isNaN(mpp)) {
            options.micronsPerPixel(mpp);
        }
        return options;
    }

    /** The share of the slide with tissue; all of it when the thumbnail cannot be read, as the run then segments every tile. */
    static double tissueFraction(Slide slide) {
        try {
            return slide.tissueMask().fraction();
        } catch (UncheckedIOException e) {
            return 1;
        }
    }
}
