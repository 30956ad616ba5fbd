package org.cellpilot.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two click rules on masks drawn as text ('#' set). */
class ClickersTest {
    private static boolean[] parse(String... rows) {
        boolean[] m = new boolean[rows.length * rows[0].length()];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < rows[y].length(); x++) {
                m[y * rows[0].length() + x] = rows[y].charAt(x) == '#';
            }
        }
        return m;
    }

    // Truth: a 5x5 square at columns 1..5, rows 1..5. Prediction: its left 2 columns plus an extra 2x2 blob.
    private static final boolean[] TRUTH = parse(
            "..........",
            ".#####....",
            ".#####....",
            ".#####....",
            ".#####....",
            ".#####....",
            "..........");
    private static final boolean[] PRED = parse(
            "..........",
            ".##.......",
            ".##.......",
            ".##.....##",
            ".##.....##",
            ".##.......",
            "..........");

    @Test
    void distanceClicksTheMissedPixelFarthestFromTheErrorBorder() {
        DistanceClicker c = new DistanceClicker();
        // Missed: columns 3..5, rows 1..5. Column 4, rows 2..4 are 2 pixels from its border (the extra blob's best
        // is 1); the first of them in row-major order wins.
        assertEquals(new Click(4, 2, true), c.next(TRUTH, PRED, 10, 7));
        // A clicked pixel scores 0, so the same error next gives the following maximum.
        assertEquals(new Click(4, 3, true), c.next(TRUTH, PRED, 10, 7));
    }

    @Test
    void distanceTiesGoNegativeAndNoErrorGivesTheOrigin() {
        boolean[] truth = parse("#....", ".....");
        boolean[] pred = parse(".....", "....#");
        // Both errors are single pixels (distance 1): not strictly larger, so negative at the extra pixel.
        assertEquals(new Click(4, 1, false), new DistanceClicker().next(truth, pred, 5, 2));
        assertEquals(new Click(0, 0, false), new DistanceClicker().next(truth, truth, 5, 2));
    }

    @Test
    void distanceCountsTheImageBorderAsBorder() {
        // Without the padding, the missed column at the left edge would be infinitely far from any background.
        boolean[] truth = parse("##...", "##...", "##...");
        boolean[] pred = parse(".#...", ".#...", ".#...");
        assertEquals(new Click(0, 0, true), new DistanceClicker().next(truth, pred, 5, 3));
    }

    @Test
    void largestComponentClicksUniformlyInsideTheLargestError() {
        LargestComponentClicker c = new LargestComponentClicker(new java.util.Random(5));
        int[] hits = new int[10 * 7];
        int draws = 15000;
        for (int i = 0; i < draws; i++) {
            Click k = c.next(TRUTH, PRED, 10, 7);
            assertTrue(k.positive(), "the missed part (15 px) is larger than the extra blob (4 px)");
            hits[k.y() * 10 + k.x()]++;
        }
        boolean[] missed = Errors.falseNegative(TRUTH, PRED);
        for (int p = 0; p < hits.length; p++) {
            if (missed[p]) {
                // 15 pixels, 1000 expected each; a 5-sigma band (sigma about 30).
                assertTrue(Math.abs(hits[p] - draws / 15.0) < 160, "pixel " + p + " drawn " + hits[p] + " times");
            } else {
                assertEquals(0, hits[p], "pixel " + p + " is not in the largest error");
            }
        }
    }

    @Test
    void largestComponentPrefersTheLargerExtraAndHasNothingToClickOnAnExactMask() {
        boolean[] truth = parse("#.......", "........");
        boolean[] pred = parse("....####", "....####");
        Click k = new LargestComponentClicker(new java.util.Random(1)).next(truth, pred, 8, 2);
        assertEquals(false, k.positive());
        assertTrue(k.x() >= 4);
        assertNull(new LargestComponentClicker(new java.util.Random(1)).next(truth, truth, 8, 2));
    }

    @Test
    void aSeedGivesTheSameClicksAndAnotherSeedOthers() {
        assertEquals(clicks(11), clicks(11));
        assertTrue(!clicks(11).equals(clicks(12)));
    }

    private static List<Click> clicks(long seed) {
        Clicker c = ClickRule.LARGEST_COMPONENT.newClicker(seed);
        List<Click> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            out.add(c.next(TRUTH, PRED, 10, 7));
        }
        return out;
    }
}
