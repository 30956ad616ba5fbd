package org.cellpilot.detect;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.cellpilot.MaskRaster;
import org.cellpilot.RgbImage;
import org.cellpilot.slide.TilePlan;

/**
 * Runs a detector tile by tile, so that memory stays bounded on images too large to take whole, with the tiles in
 * parallel on every core. Seams follow {@link TilePlan}'s ownership rule: each tile keeps the nuclei whose
 * centroid lies in its core, so a nucleus cut by a tile edge is kept once, whole, from the tile that sees all of it.
 *
 * <p>The built-in detector holds about 130 bytes per pixel while it works (maps of floats, labels and distances):
 * a 6000² image taken whole peaked at 4.6 GB. In 1024² tiles, each working tile needs about 140 MB.
 */
public final class TiledDetector implements NucleusDetector {
    /** Images with more pixels than this are tiled by the built-in detector. */
    public static final long MAX_WHOLE_PIXELS = 2048L * 2048;

    private final NucleusDetector inner;
    private final int tile;
    private final int overlap;

    /**
     * @param tile    tile side in pixels
     * @param overlap pixels shared by neighbouring tiles; it must exceed the largest nucleus the detector finds
     */
    public TiledDetector(NucleusDetector inner, int tile, int overlap) {
        TilePlan.cover(new Rectangle(0, 0, tile, tile), tile, overlap); // validates tile and overlap
        this.inner = inner;
        this.tile = tile;
        this.overlap = overlap;
    }

    @Override
    public List<Nucleus> detect(RgbImage image) {
        TilePlan plan = TilePlan.cover(new Rectangle(0, 0, image.width(), image.height()), tile, overlap);
        List<List<Nucleus>> perTile = IntStream.range(0, plan.size()).parallel()
                .mapToObj(i -> owned(plan.tile(i), image))
                .collect(Collectors.toList());
        List<Nucleus> out = new ArrayList<>();
        perTile.forEach(out::addAll);
        return out;
    }

    /** The nuclei that tile {@code t} owns, in the image's pixels. */
    private List<Nucleus> owned(TilePlan.Tile t, RgbImage image) {
        Rectangle b = t.bounds();
        List<Nucleus> out = new ArrayList<>();
        for (Nucleus n : inner.detect(image.crop(b))) {
            MaskRaster raster = n.raster().translate(b.x, b.y);
            double[] c = raster.centroid();
            if (t.owns(c[0], c[1])) {
                int[] box = n.box();
                out.add(new Nucleus(new int[] {box[0] + b.x, box[1] + b.y, box[2] + b.x, box[3] + b.y}, n.type(), n.typeProbability(), raster));
            }
        }
        return out;
    }

    @Override
    public java.util.OptionalDouble micronsPerPixel() {
        return inner.micronsPerPixel();
    }

    @Override
    public void close() {
        inner.close();
    }
}
