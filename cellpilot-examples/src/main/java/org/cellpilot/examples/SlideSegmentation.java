package org.cellpilot.examples;

import java.awt.Rectangle;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import org.cellpilot.CellPilot;
import org.cellpilot.Slide;
import org.cellpilot.SlideGeoJsonWriter;
import org.cellpilot.SlideOptions;
import org.cellpilot.SlideProgress;
import org.cellpilot.SlideSummary;

/** {@code segment} on a whole slide: streamed GeoJSON, an overview PNG, a progress bar, and resume. */
final class SlideSegmentation {
    /** Exit status of a run that finished with some tiles missing. */
    static final int INCOMPLETE = 3;

    private SlideSegmentation() {}

    static int run(CellPilot cp, Slide slide, Rectangle region, double mpp, boolean resume, Path out, String stem, PrintWriter stdout,
            PrintWriter err) throws IOException {
        Rectangle area = region != null ? region : new Rectangle(0, 0, (int) slide.width(), (int) slide.height());
        SlideOptions options = SlideOptions.defaults().region(area).progress(p -> progressBar(err, p));
        if (!Double.isNaN(mpp)) {
            options.micronsPerPixel(mpp);
        }
        Path geojson = out.resolve(stem + ".geojson");
        long t0 = System.nanoTime();
        SlideSummary summary;
        long cells;
        try (SlideGeoJsonWriter writer = resume ? SlideGeoJsonWriter.resume(geojson) : SlideGeoJsonWriter.create(geojson)) {
            summary = cp.segmentSlide(slide, options, writer);
            if (summary.complete()) {
                writer.finish();
            }
            cells = writer.features();
        }
        try {
            SlideOverview.write(slide, area, geojson, out.resolve(stem + "-overview.png"));
        } catch (UncheckedIOException e) {
            err.println("warning: no overview PNG: " + e.getMessage()); // a corrupt tile, already reported per tile
        }
        stdout.printf(Locale.ROOT, "%s: %d cells, %d of %d tiles segmented (%d with tissue; %.0f %% of the area is tissue) in %.1f s, peak "
                + "memory %s -> %s%n", slide.name(), cells, summary.segmented() + summary.resumed(), summary.tiles(), summary.tissueTiles(),
                summary.tissueFraction() * 100, (System.nanoTime() - t0) / 1e9, PeakMemory.describe(), out);
        if (!summary.complete()) {
            err.println("error: " + summary.failures().size() + " tile(s) failed, the output is incomplete (run again with --resume to retry them):");
            summary.failures().forEach(f -> err.println("  " + f));
            return INCOMPLETE;
        }
        return 0;
    }

    private static void progressBar(PrintWriter err, SlideProgress p) {
        int width = 30;
        int filled = p.tilesTotal() == 0 ? width : p.tilesDone() * width / p.tilesTotal();
        long eta = p.etaMillis();
        err.printf(Locale.ROOT, "\r[%s%s] %d/%d tiles, %d cells, ETA %s", "#".repeat(filled), " ".repeat(width - filled), p.tilesDone(),
                p.tilesTotal(), p.cells(), eta < 0 ? "?" : String.format(Locale.ROOT, "%dm%02ds", eta / 60_000, eta / 1000 % 60));
        if (p.tilesDone() == p.tilesTotal()) {
            err.println();
        }
        err.flush();
    }
}
