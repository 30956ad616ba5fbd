package org.cellpilot.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cellpilot.Slide;
import org.cellpilot.SlideTile;

/**
 * Plans a slide or image on an executor: its size, its tissue, and its tiles, without decoding one: one tile for an
 * image segmented whole, the whole-slide plan's tissue tiles for a slide that is streamed.
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
            if (slide.segmentedWhole()) {
                tiles.add(Tile.whole(image, path, slide.width(), slide.height()));
            } else {
                for (SlideTile t : segmentation.plan(slide)) {
                    tiles.add(Tile.of(image, path, t));
                }
            }
            long tissueArea = Math.round(Segmentation.tissueFraction(slide) * slide.width() * slide.height());
            return new ImagePlan(image, path, slide.width(), slide.height(), tissueArea, tiles, (System.nanoTime() - t0) / 1e9, null);
        }
    }
}
