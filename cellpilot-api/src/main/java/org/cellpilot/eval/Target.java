package org.cellpilot.eval;

/**
 * One instance to segment and its two initial prompts: a positive {@code point} {x, y} and a {@code box}
 * {x0, y0, x1, y1} in inclusive pixel indices. The same targets are given to every model.
 */
record Target(int instance, int[] point, int[] box) {
}
