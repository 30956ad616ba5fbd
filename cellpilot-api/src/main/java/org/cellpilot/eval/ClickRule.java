package org.cellpilot.eval;

import java.util.Locale;
import java.util.Random;

/** How corrective clicks are simulated. */
public enum ClickRule {
    /**
     * CellPilot's own rule: the largest 8-connected error component (missed or extra pixels), clicked at a uniformly
     * random pixel. Random, so seeded per sequence.
     */
    LARGEST_COMPONENT,
    /** SimpleClick's rule: the error pixel farthest from the error's border. Deterministic. */
    DISTANCE;

    /** A clicker for one sequence; {@code seed} only matters to the random rule. */
    Clicker newClicker(long seed) {
        return this == DISTANCE ? new DistanceClicker() : new LargestComponentClicker(new Random(seed));
    }

    /** The command-line spelling: {@code largest-component} or {@code distance}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
