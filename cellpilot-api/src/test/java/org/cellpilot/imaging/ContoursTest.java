package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected borders are OpenCV 4.6's {@code findContours(…, RETR_TREE, CHAIN_APPROX_SIMPLE)} output. */
class ContoursTest {
    @Test
    void squareStartsTopLeftAndRunsDownTheLeftSide() {
        boolean[] mask = Masks.parse("00000", "01110", "01110", "01110", "00000");
        assertPoints(new int[][] {{1, 1}, {1, 3}, {3, 3}, {3, 1}}, only(mask, 5, 5));
    }

    @Test
    void aFullCropTouchesItsOwnBorder() {
        boolean[] mask = Masks.parse("1111", "1111", "1111");
        assertPoints(new int[][] {{0, 0}, {0, 2}, {3, 2}, {3, 0}}, only(mask, 3, 4));
    }

    @Test
    void keepsOnlyTheEndsOfStraightAndDiagonalRuns() {
        boolean[] mask = Masks.parse("0110", "1111", "1100", "0100");
        assertPoints(new int[][] {{1, 0}, {0, 1}, {0, 2}, {1, 3}, {1, 2}, {2, 1}, {3, 1}, {2, 0}}, only(mask, 4, 4));
    }

    @Test
    void aDiagonalLineHasTwoVertices() {
        boolean[] mask = Masks.parse("100", "010", "001");
        assertPoints(new int[][] {{0, 0}, {2, 2}}, only(mask, 3, 3));
    }

    @Test
    void aRingHasItsOuterBorderFirstThenItsHole() {
        List<Contours.Contour> contours = Contours.find(Masks.parse("111", "101", "111"), 3, 3);
        assertEquals(2, contours.size());
        assertPoints(new int[][] {{0, 0}, {0, 2}, {2, 2}, {2, 0}}, contours.get(0));
        assertPoints(new int[][] {{0, 1}, {1, 0}, {2, 1}, {1, 2}}, contours.get(1));
        assertEquals(false, contours.get(0).hole());
        assertEquals(true, contours.get(1).hole());
        assertEquals(0, contours.get(1).parent());
    }

    /**
     * OpenCV prepends each new border to its parent's children, so top-level objects come out last-found
     * first, and each border is followed by its subtree (hole, then the object inside the hole).
     */
    @Test
    void listsTheTreeDepthFirstWithSiblingsInReverseDiscoveryOrder() {
        boolean[] mask = Masks.parse(
                "11111011",
                "10001011",
                "10101000",
                "10001010",
                "11111000");
        List<Contours.Contour> contours = Contours.find(mask, 5, 8);
        assertEquals(5, contours.size());
        assertPoints(new int[][] {{6, 3}}, contours.get(0));
        assertPoints(new int[][] {{6, 0}, {6, 1}, {7, 1}, {7, 0}}, contours.get(1));
        assertPoints(new int[][] {{0, 0}, {0, 4}, {4, 4}, {4, 0}}, contours.get(2));
        assertPoints(new int[][] {{0, 1}, {1, 0}, {3, 0}, {4, 1}, {4, 3}, {3, 4}, {1, 4}, {0, 3}}, contours.get(3));
        assertPoints(new int[][] {{2, 2}}, contours.get(4));
        int[] parents = contours.stream().mapToInt(Contours.Contour::parent).toArray();
        assertArrayEquals(new int[] {-1, -1, -1, 2, 3}, parents);
    }

    @Test
    void anEmptyMaskHasNoBorders() {
        assertEquals(List.of(), Contours.find(new boolean[6], 2, 3));
    }

    private static Contours.Contour only(boolean[] mask, int height, int width) {
        List<Contours.Contour> contours = Contours.find(mask, height, width);
        assertEquals(1, contours.size());
        return contours.get(0);
    }

    private static void assertPoints(int[][] expected, Contours.Contour contour) {
        assertArrayEquals(expected, contour.points(), () -> java.util.Arrays.deepToString(contour.points()));
    }
}
