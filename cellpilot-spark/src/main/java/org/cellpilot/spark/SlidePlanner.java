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
 * Plans a slide or image on an executor: its size, its tissue, and its tiles, without decoding one. An image that
 * is segmented whole is one tile. For a slide that is streamed, the planner asks the whole-slide run itself,
 * answering for every tile that it is already done, so that the plan is the run's plan.
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
            double tissue;
            if (Segmentation.whole(path, slide)) {
                tiles.add(Tile.whole(image, path, slide.width(), slide.height()));
                tissue = slide.tissueMask().fraction();
            } else {
                SlideSummary s = segmentation.run(slide, new SlideSink() {
                    @Override
                    public boolean alreadyDone(SlideTile tile) {
                        tiles.add(new Tile(image, path, tile.index(), tile.bounds(), false));
                        return true;
                    }

                    @Override
                    public void accept(SlideTile tile, List<Mask> cells) {
                        throw new IllegalStateException("planning segmented " + tile);
                    }
                });
                tissue = s.tissueFraction();
            }
            long tissueArea = Math.round(tissue * slide.width() * slide.height());
            return new ImagePlan(image, path, slide.width(), slide.height(), tissueArea, tiles, (System.nanoTime() - t0) / 1e9, null);
        }
    }
}
