package org.cellpilot.spark;

import java.awt.Rectangle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cellpilot.Slide;
import org.cellpilot.slide.TilePlan;
import org.cellpilot.slide.TissueMask;

/**
 * Plans a slide or image on an executor: its size, its tissue mask from a thumbnail, and the tiles of the
 * whole-slide tile plan that hold tissue. No tile is decoded.
 */
final class SlidePlanner implements TilePlanner {
    private static final long serialVersionUID = 1L;

    @Override
    public ImagePlan plan(String image, String path) throws IOException {
        long t0 = System.nanoTime();
        try (Slide slide = Slide.open(LocalFiles.of(path))) {
            TissueMask tissue = slide.tissueMask();
            List<Tile> tiles = new ArrayList<>();
            for (TilePlan.Tile t : SlideTiling.plan(slide).tiles()) {
                Rectangle b = t.bounds();
                if (tissue.intersects(b.x, b.y, b.width, b.height)) {
                    tiles.add(new Tile(image, path, t.index(), b));
                }
            }
            long tissueArea = Math.round(tissue.fraction() * slide.width() * slide.height());
            return new ImagePlan(image, path, slide.width(), slide.height(), tissueArea, tiles, (System.nanoTime() - t0) / 1e9, null);
        }
    }
}
