package org.cellpilot.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cellpilot.Mask;
import org.cellpilot.Slide;
import org.cellpilot.SlideSink;
import org.cellpilot.SlideSummary;
import org.cellpilot.SlideTile;

/**
 * Plans a slide or image on an executor: its size, its tissue, and the tiles with tissue that the whole-slide run
 * would segment. It asks the run itself, answering for every tile that it is already done, so the plan is the
 * run's plan and no tile is decoded.
 */
final class SlidePlanner implements TilePlanner {
    private static final long serialVersionUID = 1L;
    private final Segmentation segmentation;

    SlidePlanner(Segmentation segmentation) {
        this.segmentation = segmentation;
    }

    @Override
    public ImagePlan plan(String image, String path) throws IOException {
        long t0 = System.nanoTime();
        try (Slide slide = Slide.open(LocalFiles.of(path))) {
            List<Tile> tiles = new ArrayList<>();
            SlideSummary s = segmentation.run(slide, new SlideSink() {
                @Override
                public boolean alreadyDone(SlideTile tile) {
                    tiles.add(new Tile(image, path, tile.index(), tile.bounds()));
                    return true;
                }

                @Override
                public void accept(SlideTile tile, List<Mask> cells) {
                    throw new IllegalStateException("planning segmented " + tile);
                }
            });
            long tissueArea = Math.round(s.tissueFraction() * slide.width() * slide.height());
            return new ImagePlan(image, path, slide.width(), slide.height(), tissueArea, tiles, (System.nanoTime() - t0) / 1e9, null);
        }
    }
}
