package org.cellpilot.imaging;

/** Argument checks shared by the row-major grid operations. */
final class Grids {
    private Grids() {}

    static void checkSize(int length, int height, int width) {
        if (height < 0 || width < 0 || (long) height * width != length) {
            throw new IllegalArgumentException(
                    "array of " + length + " values does not hold a " + height + "x" + width + " grid");
        }
    }
}
