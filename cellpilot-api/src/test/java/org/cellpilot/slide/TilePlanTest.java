package org.cellpilot.slide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TilePlanTest {
    @ParameterizedTest
    @CsvSource({"0,0,1000,700,256,64", "10,20,257,256,256,64", "5,5,100,90,256,64", "0,0,2049,1500,512,100", "3,4,777,1313,300,33"})
    void coresPartitionTheAreaAndLieHalfTheOverlapInsideTheTiles(int x, int y, int w, int h, int tile, int overlap) {
        Rectangle area = new Rectangle(x, y, w, h);
        TilePlan plan = TilePlan.cover(area, tile, overlap);
        int[] owners = new int[w * h];
        for (TilePlan.Tile t : plan.tiles()) {
            assertTrue(area.contains(t.bounds()), t + " leaves the area");
            assertEquals(Math.min(tile, w), t.bounds().width);
            assertEquals(Math.min(tile, h), t.bounds().height);
            assertTrue(t.bounds().contains(t.core()), "core outside its tile: " + t);
            Rectangle c = t.core();
            // An inner side of the core lies at least half the overlap inside the tile; an outer side is the area's.
            assertTrue(c.x == area.x || c.x - t.bounds().x >= overlap / 2, "left " + t);
            assertTrue(c.y == area.y || c.y - t.bounds().y >= overlap / 2, "top " + t);
            assertTrue(c.x + c.width == area.x + w || t.bounds().x + t.bounds().width - (c.x + c.width) >= overlap / 2, "right " + t);
            assertTrue(c.y + c.height == area.y + h || t.bounds().y + t.bounds().height - (c.y + c.height) >= overlap / 2, "bottom " + t);
            for (int py = 0; py < h; py++) {
                for (int px = 0; px < w; px++) {
                    if (t.owns(x + px + 0.5, y + py + 0.5)) {
                        owners[py * w + px]++;
                    }
                }
            }
        }
        for (int py = 0; py < h; py += 7) {
            for (int px = 0; px < w; px += 5) {
                assertEquals(1, owners[py * w + px], "pixel (" + px + ", " + py + ") owned by " + owners[py * w + px] + " tiles");
                TilePlan.Tile owner = plan.owner(x + px + 0.5, y + py + 0.5);
                assertTrue(owner.owns(x + px + 0.5, y + py + 0.5));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1000,256,64,5", "256,256,64,1", "257,256,64,2", "448,256,64,2", "449,256,64,3"})
    void neighboursShareAtLeastTheOverlap(int length, int tile, int overlap, int expectedTiles) {
        TilePlan plan = TilePlan.cover(new Rectangle(0, 0, length, 10), tile, overlap);
        assertEquals(expectedTiles, plan.columns());
        for (int c = 1; c < plan.columns(); c++) {
            Rectangle previous = plan.tile(c - 1).bounds();
            Rectangle next = plan.tile(c).bounds();
            assertTrue(previous.x + previous.width - next.x >= overlap, previous + " and " + next);
        }
    }

    @ParameterizedTest
    @CsvSource({"0,10,256,64", "10,10,64,64", "10,10,64,-1"})
    void refusesImpossiblePlans(int w, int h, int tile, int overlap) {
        assertThrows(IllegalArgumentException.class, () -> TilePlan.cover(new Rectangle(0, 0, w, h), tile, overlap));
    }
}
