package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class SmallObjectsTest {
    @Test
    void dropsLabelsStrictlySmallerThanTheMinimumAndKeepsTheOthersIds() {
        int[] labels = {1, 1, 0, 2, 2, 2, 0, 3, 3, 3, 3};
        SmallObjects.remove(labels, 3);
        assertArrayEquals(new int[] {0, 0, 0, 2, 2, 2, 0, 3, 3, 3, 3}, labels);
    }
}
