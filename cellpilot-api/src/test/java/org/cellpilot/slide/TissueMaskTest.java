package org.cellpilot.slide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TissueMaskTest {
    /** Left half glass (near-white, JPEG-like noise), right half pink tissue; downsample 32 to level 0. */
    @Test
    void findsTissueAndSkipsGlass() {
        int w = 200;
        int h = 100;
        byte[] rgb = new byte[w * h * 3];
        Random random = new Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                if (x < w / 2) {
                    int v = 240 + random.nextInt(8);
                    rgb[i] = (byte) v;
                    rgb[i + 1] = (byte) (v - random.nextInt(4));
                    rgb[i + 2] = (byte) v;
                } else {
                    rgb[i] = (byte) (200 + random.nextInt(30));
                    rgb[i + 1] = (byte) (120 + random.nextInt(40));
                    rgb[i + 2] = (byte) (170 + random.nextInt(30));
                }
            }
        }
        TissueMask mask = TissueMask.of(rgb, w, h, 32);
        assertEquals(0.5, mask.fraction(), 0.02);
        assertFalse(mask.intersects(0, 0, 32 * 90, 32 * 100), "glass only");
        assertTrue(mask.intersects(32 * 95, 0, 32 * 10, 32 * 10), "reaches the tissue");
    }

    @Test
    void anAllTissueImageIsAllTissue() {
        int w = 64;
        byte[] rgb = new byte[w * w * 3];
        Random random = new Random(3);
        for (int i = 0; i < w * w; i++) {
            boolean nucleus = random.nextInt(4) == 0;
            rgb[i * 3] = (byte) (nucleus ? 70 : 215);
            rgb[i * 3 + 1] = (byte) (nucleus ? 60 : 140);
            rgb[i * 3 + 2] = (byte) (nucleus ? 140 : 180);
        }
        assertEquals(1.0, TissueMask.of(rgb, w, w, 1).fraction(), 1e-9);
    }
}
