package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class BoundingBoxTest {
    @Test
    void boxesHaveExclusiveMaximaAndAbsentLabelsHaveNone() {
        int[] labels = {
            0, 1, 1, 0,
            0, 0, 1, 0,
            3, 0, 0, 0};
        assertArrayEquals(new BoundingBox[] {null, new BoundingBox(0, 1, 2, 3), null, new BoundingBox(2, 0, 3, 1)},
                BoundingBox.ofLabels(labels, 3, 4));
    }
}
