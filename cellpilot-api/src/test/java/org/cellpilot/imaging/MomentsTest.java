package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MomentsTest {
    /** An L of four pixels at (x, y) = (0,0), (0,1), (0,2), (1,2): Σx = 1, Σy = 5. */
    @Test
    void countsAndSumsForegroundCoordinates() {
        Moments m = Moments.of(Masks.parse("10", "10", "11"), 3, 2);
        assertEquals(new Moments(4, 1, 5), m);
        assertEquals(0.25, m.centroidX());
        assertEquals(1.25, m.centroidY());
    }
}
