package org.cellpilot;

import java.util.List;

/**
 * The outcome of a whole-slide run: the plan's size, how many tiles held tissue, how many were segmented now or
 * by an earlier run that this one resumed, the cells delivered now, the tissue share of the area, and the tiles that failed.
 */
public record SlideSummary(int tiles, int tissueTiles, int segmented, int resumed, long cells, double tissueFraction,
        List<String> failures) {
    public SlideSummary {
        failures = List.copyOf(failures);
    }

    /** True when every tissue tile was segmented, now or before. */
    public boolean complete() {
        return failures.isEmpty() && segmented + resumed == tissueTiles;
    }
}
