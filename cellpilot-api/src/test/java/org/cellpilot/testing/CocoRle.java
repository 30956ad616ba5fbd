package org.cellpilot.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/** COCO's compressed RLE as pycocotools reads it (common/maskApi.c's rleFrString and rleDecode), for tests. */
public final class CocoRle {
    private CocoRle() {}

    /**
     * The mask of a {@code width × height} image, indexed column-major ({@code [x * height + y]}): rleFrString's
     * 5-bit groups and deltas, then runs down the columns from background.
     */
    public static boolean[] decode(String s, int width, int height) {
        List<Long> runs = new ArrayList<>();
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                int c = s.charAt(p) - 48;
                x |= (long) (c & 0x1f) << 5 * k;
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << 5 * k;
                }
            }
            if (runs.size() > 2) {
                x += runs.get(runs.size() - 2);
            }
            runs.add(x);
        }
        boolean[] out = new boolean[width * height];
        int i = 0;
        boolean value = false;
        for (long run : runs) {
            for (long r = 0; r < run; r++) {
                out[i++] = value;
            }
            value = !value;
        }
        assertEquals(out.length, i, "the runs cover the image");
        return out;
    }

}
