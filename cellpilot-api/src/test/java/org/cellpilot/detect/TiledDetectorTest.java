package org.cellpilot.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.MaskRaster;
import org.cellpilot.RgbImage;
import org.cellpilot.testing.Golden;
import org.junit.jupiter.api.Test;

class TiledDetectorTest {
    /** 5 × 5 copies of the sample (2560², above the tiling threshold) against the sample alone. */
    @Test
    void copiesOfTheSampleGiveCopiesOfItsNucleiWithoutDuplicatesAtSeams() {
        RgbImage sample = Golden.sample();
        int k = 5;
        RgbImage big = tile(sample, k);
        HematoxylinDetector detector = new HematoxylinDetector();
        int perSample = detector.detect(sample).size();
        List<Nucleus> nuclei = detector.detect(big); // above the size at which it tiles itself
        double ratio = nuclei.size() / (double) (k * k * perSample);
        // Each tile sets its own Otsu threshold, and copies meet at edges where the sample's border nuclei are cut
        // or joined: a few percent, not the 10-20 % that duplicated or dropped seam cells would give.
        assertEquals(1.0, ratio, 0.04, nuclei.size() + " nuclei for " + k * k + " x " + perSample);
        assertNoOverlaps(nuclei);
    }

    static RgbImage tile(RgbImage sample, int k) {
        int w = sample.width();
        int h = sample.height();
        byte[] src = sample.toBytes();
        byte[] out = new byte[w * k * h * k * 3];
        for (int y = 0; y < h * k; y++) {
            for (int cx = 0; cx < k; cx++) {
                System.arraycopy(src, (y % h) * w * 3, out, (y * w * k + cx * w) * 3, w * 3);
            }
        }
        return RgbImage.of(out, w * k, h * k, 3);
    }

    /** No pixel belongs to two nuclei: a cell kept by two tiles would overlap itself. */
    static void assertNoOverlaps(List<Nucleus> nuclei) {
        Map<Long, Integer> owner = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        for (int i = 0; i < nuclei.size(); i++) {
            MaskRaster r = nuclei.get(i).raster();
            int[] b = r.bounds();
            boolean[] px = r.toArray();
            int w = b[2] - b[0];
            for (int p = 0; p < px.length; p++) {
                if (px[p]) {
                    long key = ((long) (b[1] + p / w) << 32) | (b[0] + p % w);
                    Integer other = owner.putIfAbsent(key, i);
                    if (other != null && clashes.size() < 5) {
                        clashes.add("nuclei " + other + " and " + i + " share pixel " + (b[0] + p % w) + "," + (b[1] + p / w));
                    }
                }
            }
        }
        assertTrue(clashes.isEmpty(), String.join("; ", clashes));
    }
}
