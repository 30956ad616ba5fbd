package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class BinaryFillTest {
    @Test
    void fillsEnclosedBackgroundButNotBackgroundOpenToTheBorder() {
        boolean[] mask = Masks.parse(
                "11110",
                "10010",
                "11110",
                "10100",
                "10111");
        assertArrayEquals(new String[] {
            "11110",
            "11110",
            "11110",
            "10100",
            "10111"}, Masks.format(BinaryFill.fillHoles(mask, 5, 5), 5));
    }

    /** Background connects through edges only, so a pixel whose outside neighbours are all diagonal is a hole. */
    @Test
    void diagonalGapsDoNotLetBackgroundOut() {
        boolean[] mask = Masks.parse(
                "010",
                "101",
                "010");
        assertArrayEquals(new String[] {"010", "111", "010"}, Masks.format(BinaryFill.fillHoles(mask, 3, 3), 3));
    }
}
