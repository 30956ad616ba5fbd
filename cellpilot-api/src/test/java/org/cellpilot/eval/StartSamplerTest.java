package org.cellpilot.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StartSamplerTest {
    /** A 5x4 instance at columns 10..14, rows 20..23 in a 40x30 image; its interior is columns 11..13, rows 21..22. */
    private static boolean[] block(int width, int height, int x0, int y0, int x1, int y1) {
        boolean[] m = new boolean[width * height];
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                m[y * width + x] = true;
            }
        }
        return m;
    }

    @Test
    void pointsComeUniformlyFromTheInterior() {
        boolean[] m = block(40, 30, 10, 20, 14, 23);
        Random r = new Random(1);
        int[] counts = new int[40 * 30];
        for (int i = 0; i < 6000; i++) {
            int[] p = StartSampler.point(m, 40, 30, r);
            counts[p[1] * 40 + p[0]]++;
        }
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                boolean interior = x >= 11 && x <= 13 && y >= 21 && y <= 22;
                int c = counts[y * 40 + x];
                assertTrue(interior ? Math.abs(c - 1000) < 160 : c == 0, "(" + x + ", " + y + ") drawn " + c + " times");
            }
        }
    }

    @Test
    void aThinInstanceWithoutInteriorUsesAnyOfItsPixels() {
        boolean[] line = block(10, 10, 2, 5, 7, 5);
        Set<Integer> seen = new HashSet<>();
        Random r = new Random(2);
        for (int i = 0; i < 500; i++) {
            int[] p = StartSampler.point(line, 10, 10, r);
            assertEquals(5, p[1]);
            seen.add(p[0]);
        }
        assertEquals(Set.of(2, 3, 4, 5, 6, 7), seen);
    }

    @Test
    void boxesGrowEachSideByZeroToTenAndStayInTheImage() {
        int[] tight = {10, 20, 14, 23};
        Random r = new Random(3);
        Set<Integer> growths = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int[] b = StartSampler.box(tight, 40, 30, r);
            int[] grow = {10 - b[0], 20 - b[1], b[2] - 14, b[3] - 23};
            for (int side = 0; side < 4; side++) {
                assertTrue(grow[side] >= 0 && grow[side] <= 10, "side " + side + " grew " + grow[side]);
                growths.add(grow[side]);
            }
            assertTrue(b[3] <= 29, "clamped to the last row");
        }
        assertEquals(11, growths.size() - 0, "every growth 0..10 occurs (bottom side clamps at 6, the others reach 10)");
        int[] corner = StartSampler.box(new int[] {0, 0, 39, 29}, 40, 30, r);
        assertArrayEquals(new int[] {0, 0, 39, 29}, corner);
    }

    @Test
    void instancesAreDrawnWithoutReplacementReproducibly() {
        int[] labels = new int[20 * 20];
        int[] ids = {3, 9, 40, 41, 77, 500};
        for (int k = 0; k < ids.length; k++) {
            for (int p : new int[] {0, 1, 20, 21}) {
                labels[(3 * k) * 20 + 5 + p] = ids[k]; // 2 x 2 pixels
            }
        }
        LabelMap map = new LabelMap(20, 20, labels);
        List<Target> a = StartSampler.targets(map, 4, StartSampler.random(7, "img"));
        List<Target> b = StartSampler.targets(map, 4, StartSampler.random(7, "img"));
        assertEquals(4, a.stream().map(Target::instance).distinct().count());
        assertEquals(a.stream().map(Target::instance).toList(), b.stream().map(Target::instance).toList());
        assertEquals(6, StartSampler.targets(map, 10, new Random(1)).size(), "all when fewer than asked");
        labels[19 * 20 + 19] = 8; // a single pixel: its box could not be a valid box
        assertEquals(6, StartSampler.targets(new LabelMap(20, 20, labels), 10, new Random(1)).size(), "one-pixel instance left out");
    }
}
