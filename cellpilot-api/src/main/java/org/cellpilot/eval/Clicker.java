package org.cellpilot.eval;

/**
 * Places the next corrective click of one click sequence from the current error. A clicker may keep state for
 * its sequence (the pixels already clicked), so each sequence gets a fresh one from {@link ClickRule#newClicker}.
 */
interface Clicker {
    /**
     * The next click, given the instance and the current mask (row-major, {@code width × height}), or null when
     * the rule has nothing to click (the mask is already exact).
     */
    Click next(boolean[] truth, boolean[] predicted, int width, int height);

    /** Tells the clicker about a click it did not place itself (the initial point of a point start). */
    void clicked(Click click, int width);
}
