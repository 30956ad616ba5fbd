package org.cellpilot.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.Locale;
import java.util.Set;
import org.cellpilot.CellPilot;
import org.cellpilot.Slide;
import org.cellpilot.SlideOptions;
import org.cellpilot.SlideSink;
import org.cellpilot.SlideSummary;

/**
 * How an image is segmented, decided as {@code cellpilot segment} decides it, so that the job's cells are the
 * CLI's: a plain image, or a slide of at most 4096² level-0 pixels, is segmented whole in memory; a larger slide
 * by the whole-slide run, whose tile plan, tissue tiles and owned cells the planner and the tasks share. A task
 * runs it restricted to its own tiles, by telling the run that every other tile is already done, as a resumed run
 * is told.
 *
 * @param mpp the slides' microns per level-0 pixel, overriding the files'; NaN to take the files'
 */
record Segmentation(ModelSpec models, double mpp) implements Serializable {
    /** The CLI's limit for segmenting a slide whole (its {@code MAX_IN_MEMORY_SLIDE}). */
    static final long MAX_WHOLE_PIXELS = 4096L * 4096;
    /** Files the CLI reads as plain images, whatever their size. */
    private static final Set<String> PLAIN_IMAGES = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** True when the image is segmented whole, false when it is streamed tile by tile. */
    static boolean whole(String path, Slide slide) {
        String name = path.toLowerCase(Locale.ROOT);
        return PLAIN_IMAGES.contains(name.substring(name.lastIndexOf('.') + 1))
                || slide.width() * slide.height() <= MAX_WHOLE_PIXELS;
    }

    CellPilot cellPilot() {
        return ExecutorModels.forTask(models);
    }

    SlideSummary run(Slide slide, SlideSink sink) throws IOException {
        SlideOptions options = SlideOptions.defaults().workers(1);
        if (!Double.isNaN(mpp)) {
            options.micronsPerPixel(mpp);
        }
        return cellPilot().segmentSlide(slide, options, sink);
    }
}
