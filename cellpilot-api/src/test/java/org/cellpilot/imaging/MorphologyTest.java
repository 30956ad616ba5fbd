package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class MorphologyTest {
    private static final StructuringElement ELLIPSE = StructuringElement.ellipse(5, 5);

    /** {@code cv2.getStructuringElement(MORPH_ELLIPSE, …)} as OpenCV 4.6 returns it. */
    @Test
    void ellipsesMatchOpenCv() {
        assertArrayEquals(new String[] {"00100", "11111", "11111", "11111", "00100"}, Masks.format(ELLIPSE.cells(), 5));
        assertArrayEquals(new String[] {"010", "111", "010"}, Masks.format(StructuringElement.ellipse(3, 3).cells(), 3));
        assertArrayEquals(new String[] {"0001000", "0111110", "1111111", "1111111", "1111111", "0111110", "0001000"},
                Masks.format(StructuringElement.ellipse(7, 7).cells(), 7));
    }

    /** Only the centre of a 5×5 square holds the whole ellipse; dilating it back draws the ellipse. */
    @Test
    void openingASquareLeavesTheEllipse() {
        boolean[] square = Masks.parse(
                "0000000",
                "0111110",
                "0111110",
                "0111110",
                "0111110",
                "0111110",
                "0000000");
        assertArrayEquals(new String[] {
            "0000000",
            "0001000",
            "0111110",
            "0111110",
            "0111110",
            "0001000",
            "0000000"}, Masks.format(Morphology.open(square, 7, 7, ELLIPSE), 7));
    }

    @Test
    void shapesTooSmallForTheFootprintVanish() {
        boolean[] blob = Masks.parse("00000", "01110", "01110", "01110", "00000");
        assertArrayEquals(new boolean[25], Morphology.open(blob, 5, 5, ELLIPSE));
    }

    /** Outside the image counts as set for erosion and clear for dilation, so a full image stays full. */
    @Test
    void theImageBorderNeitherErodesNorDilates() {
        boolean[] full = new boolean[4 * 6];
        java.util.Arrays.fill(full, true);
        assertArrayEquals(full, Morphology.erode(full, 4, 6, ELLIPSE));
        assertArrayEquals(full, Morphology.open(full, 4, 6, ELLIPSE));
        boolean[] corner = Masks.parse("100", "000", "000");
        assertArrayEquals(new String[] {"111", "111", "100"}, Masks.format(Morphology.dilate(corner, 3, 3, ELLIPSE), 3));
    }
}
