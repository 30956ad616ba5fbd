package org.cellpilot.spark;

import java.io.IOException;
import java.io.Serializable;
import org.cellpilot.CellPilot;
import org.cellpilot.Slide;
import org.cellpilot.SlideOptions;
import org.cellpilot.SlideSink;
import org.cellpilot.SlideSummary;

/**
 * The whole-slide run that planner and tasks share: the same models and options give the same tile plan, tissue
 * tiles and owned cells as {@code cellpilot segment} on the slide. A task runs it restricted to its own tiles, by
 * telling the run that every other tile is already done, as a resumed run is told.
 *
 * @param mpp the slides' microns per level-0 pixel, overriding the files'; NaN to take the files'
 */
record Segmentation(ModelSpec models, double mpp) implements Serializable {
    SlideSummary run(Slide slide, SlideSink sink) throws IOException {
        SlideOptions options = SlideOptions.defaults().workers(1);
        if (!Double.isNaN(mpp)) {
            options.micronsPerPixel(mpp);
        }
        CellPilot cp = ExecutorModels.forTask(models);
        return cp.segmentSlide(slide, options, sink);
    }
}
