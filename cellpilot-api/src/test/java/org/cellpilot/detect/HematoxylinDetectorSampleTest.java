package org.cellpilot.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cellpilot.RgbImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled {@code samples/ihc.png}: H-DAB immunohistochemistry of colon, blue nuclei, brown DAB in the glands. */
class HematoxylinDetectorSampleTest {
    private static final HematoxylinDetector DETECTOR = HematoxylinDetector.builder().stains(StainVectors.H_DAB).build();

    /**
     * Hand count. The crop x 160–255, y 370–497 (96×128) is stroma between the lower-left gland and the small
     * round gland, with the gland edges just outside it. It was written to PNG and viewed enlarged 5× and, in two
     * halves, 8× (nearest neighbour). A nucleus is a distinct blue body, round or spindle-shaped, at least half of
     * it inside the crop; faint grey-blue streaks with no clear outline (three of them: near (168, 450),
     * (180, 445) and (211, 492)) were not counted. That gives 18, at these centres (image pixels), each checked
     * by drawing a cross on the enlarged crop.
     */
    private static final Rectangle STROMA = new Rectangle(160, 370, 96, 128);
    private static final int[][] HAND_MARKED = {
        {194, 380}, {226, 379}, {181, 392}, {228, 391}, {219, 397}, {237, 396}, {179, 406}, {186, 416}, {172, 424},
        {211, 424}, {204, 444}, {196, 451}, {181, 461}, {215, 466}, {209, 475}, {241, 450}, {245, 474}, {240, 490},
    };

    private static RgbImage sample;

    @BeforeAll
    static void loadSample() {
        sample = org.cellpilot.testing.Golden.sample();
    }

    @Test
    void wholeImageHasAPlausibleNumberOfNucleiOfPlausibleSize() {
        List<Nucleus> nuclei = DETECTOR.detect(sample);
        // The stroma crop below holds 18 nuclei in 12,288 px, and stroma is roughly a third of the image: ~150
        // nuclei. The glands' palisades add one or two hundred more, many hidden under DAB. Hence 150..500.
        assertTrue(nuclei.size() >= 150 && nuclei.size() <= 500, nuclei.size() + " nuclei");
        // Nuclei here are 6–12 px wide and 8–30 px long by eye: 40 to 300 px in area.
        long[] areas = nuclei.stream().mapToLong(n -> n.raster().area()).sorted().toArray();
        long median = areas[areas.length / 2];
        assertTrue(median >= 40 && median <= 300, "median area " + median);
    }

    @Test
    void stromaCountMatchesTheHandCount() {
        assertMatchesHandCount(DETECTOR);
    }

    @Test
    void defaultHAndEDetectorAlsoFindsTheStromalNuclei() {
        // Stroma carries no DAB, so the H&E vectors of the automatic mode's default see the same blue nuclei.
        assertMatchesHandCount(new HematoxylinDetector());
    }

    private static void assertMatchesHandCount(HematoxylinDetector detector) {
        List<Nucleus> nuclei = detector.detect(sample.crop(STROMA));
        int hand = HAND_MARKED.length;
        assertEquals(hand, nuclei.size(), 0.25 * hand, "detections in the hand-counted crop");
        Set<Nucleus> matched = new HashSet<>();
        for (int[] centre : HAND_MARKED) {
            int x = centre[0] - STROMA.x;
            int y = centre[1] - STROMA.y;
            nuclei.stream().filter(n -> n.raster().contains(x, y)).forEach(matched::add);
        }
        // Two marked nuclei in one detection count once. Allow three misses or merges (a sixth): the palest spindles
        // sit near the threshold, and nuclei touching along their length leave no neck to split at.
        assertTrue(matched.size() >= hand - 3, matched.size() + " detections hold the " + hand + " hand-marked nuclei");
    }

    @Test
    void lumenHasNoNuclei() {
        // Empty white gland lumen at the left edge; its only texture is scanner noise.
        assertEquals(List.of(), DETECTOR.detect(sample.crop(new Rectangle(0, 300, 30, 80))));
    }
}
