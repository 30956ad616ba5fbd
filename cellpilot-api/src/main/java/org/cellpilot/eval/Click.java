package org.cellpilot.eval;

/** One simulated click: pixel column {@code x}, row {@code y}; positive means "this belongs to the object". */
public record Click(int x, int y, boolean positive) {
}
