package org.cellpilot.imaging;

/** Pixel neighbourhood of a 2-D grid. */
public enum Connectivity {
    /** Edge neighbours only: scipy's default cross structure, skimage's {@code connectivity=1}. */
    FOUR,
    /** Edge and corner neighbours: a full 3×3 structure. */
    EIGHT
}
