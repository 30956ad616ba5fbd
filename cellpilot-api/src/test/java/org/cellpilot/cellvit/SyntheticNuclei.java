package org.cellpilot.cellvit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cellpilot.CellType;
import org.cellpilot.RgbImage;
import org.cellpilot.cellvit.CellVitTiler.TileDetections;
import org.cellpilot.cellvit.TileGrid.Tile;

/**
 * A synthetic slide: disc nuclei of radius 6 to 9 on a jittered 26 px lattice, so at least 4 px apart, some cut by
 * the image's edges, though by no more than half their radius: the post-processing cannot tell a sliver from noise,
 * in any tile. It can be handed to the tiler two ways: as the maps a
 * perfect network would emit for each tile (nucleus logits inside the discs, HoVer-Net's horizontal and vertical
 * distances to the disc centre, type logits), or as an RGB image that {@link ColourCodedDecoder} turns into the same
 * kind of maps (red marks nuclei, green and blue carry the two distance maps).
 */
public final class SyntheticNuclei {
    /** A nucleus; only its pixels inside the image exist. */
    record Disc(double cx, double cy, double r, int type) {
        boolean covers(int x, int y) {
            return (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
        }
    }

    final int width;
    final int height;
    final List<Disc> discs = new ArrayList<>();

    /** Types are drawn from 1..{@code types}. */
    public SyntheticNuclei(int width, int height, long seed, int types) {
        this.width = width;
        this.height = height;
        Random random = new Random(seed);
        for (int y = 5; y < height; y += 26) {
            for (int x = 5; x < width; x += 26) {
                double r = 6 + 3 * random.nextDouble();
                double cx = x + 4 * random.nextDouble() - 2;
                double cy = y + 4 * random.nextDouble() - 2;
                if (Math.min(cx, width - cx) >= r / 2 && Math.min(cy, height - cy) >= r / 2) {
                    discs.add(new Disc(cx, cy, r, 1 + random.nextInt(types)));
                }
            }
        }
    }

    /** The disc covering image pixel (x, y), or -1. */
    int discAt(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return -1;
        }
        for (int i = 0; i < discs.size(); i++) {
            if (discs.get(i).covers(x, y)) {
                return i;
            }
        }
        return -1;
    }

    /** Red 40 on nuclei and 220 elsewhere; green and blue 128 ± 100 times the distance to the centre over the radius. */
    public RgbImage image() {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int d = discAt(x, y);
                int p = (y * width + x) * 3;
                rgb[p] = (byte) (d < 0 ? 220 : 40);
                rgb[p + 1] = (byte) (d < 0 ? 128 : Math.round(128 + 100 * (x - discs.get(d).cx()) / discs.get(d).r()));
                rgb[p + 2] = (byte) (d < 0 ? 128 : Math.round(128 + 100 * (y - discs.get(d).cy()) / discs.get(d).r()));
            }
        }
        return RgbImage.of(rgb, width, height, 3);
    }

    /** The perfect network's maps for tile {@code t}, background past the image, through {@code post}. */
    TileDetections detections(HoverPostProcess post, Tile t) {
        int side = t.side();
        int plane = side * side;
        float[] binary = new float[2 * plane];
        float[] hv = new float[2 * plane];
        float[] types = new float[6 * plane];
        for (int ly = 0; ly < side; ly++) {
            for (int lx = 0; lx < side; lx++) {
                int x = t.x0() + lx;
                int y = t.y0() + ly;
                int p = ly * side + lx;
                int d = discAt(x, y);
                Disc disc = d < 0 ? null : discs.get(d);
                binary[(disc == null ? 0 : 1) * plane + p] = 4;
                types[(disc == null ? 0 : disc.type()) * plane + p] = 4;
                if (disc != null) {
                    hv[p] = (float) ((x - disc.cx()) / disc.r());
                    hv[plane + p] = (float) ((y - disc.cy()) / disc.r());
                }
            }
        }
        return new TileDetections(post.process(binary, hv, types, 6, side, side), TissueType.SKIN);
    }

    /**
     * Each disc is exactly one cell, whose mask is the disc's pixels inside the image, neither cut nor grown, with
     * the disc's type; no cell is anything else.
     */
    void assertEachFoundOnceAndWhole(List<Cell> cells) {
        assertEquals(discs.size(), cells.size(), "one cell per nucleus");
        boolean[] matched = new boolean[discs.size()];
        for (Cell cell : cells) {
            int d = discAt((int) Math.round(cell.centroidX()), (int) Math.round(cell.centroidY()));
            assertTrue(d >= 0 && !matched[d], "cell " + cell.id() + " at " + cell.bbox() + " is no nucleus, or a second copy");
            matched[d] = true;
            assertEquals(CellType.fromCellVitIndex(discs.get(d).type()), cell.type(), "type of cell " + cell.id());
            int[] b = cell.mask().bounds();
            assertEquals(List.of(b[0], b[1], b[2], b[3]),
                    List.of(cell.bbox().colMin(), cell.bbox().rowMin(), cell.bbox().colMax(), cell.bbox().rowMax()));
            for (int y = b[1] - 1; y <= b[3]; y++) {
                for (int x = b[0] - 1; x <= b[2]; x++) {
                    assertEquals(discAt(x, y) == d, cell.mask().contains(x, y), "cell " + cell.id() + " at (" + x + ", " + y + ")");
                }
            }
        }
    }
}
