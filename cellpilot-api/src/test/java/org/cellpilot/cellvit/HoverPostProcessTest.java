package org.cellpilot.cellvit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HoverPostProcessTest {
    @Test
    void theMostVotedTypeWinsWithTiesToTheLowerId() {
        assertEquals(2, HoverPostProcess.majorityType(new int[] {1, 3, 4, 0}));
        assertEquals(1, HoverPostProcess.majorityType(new int[] {0, 3, 3, 1}));
    }

    @Test
    void backgroundYieldsToTheRunnerUpUnlessItIsAlone() {
        assertEquals(2, HoverPostProcess.majorityType(new int[] {9, 1, 2, 2}));
        assertEquals(0, HoverPostProcess.majorityType(new int[] {9, 0, 0}));
    }

    @Test
    void onlyTheReferenceMagnificationsAreKnown() {
        assertThrows(IllegalArgumentException.class, () -> HoverPostProcess.forMagnification(10));
    }

    @Test
    void rejectsMapsOfTheWrongSize() {
        HoverPostProcess post = HoverPostProcess.forMagnification(40);
        assertThrows(IllegalArgumentException.class,
                () -> post.process(new float[8], new float[8], new float[6 * 4], 6, 2, 3));
    }
}
