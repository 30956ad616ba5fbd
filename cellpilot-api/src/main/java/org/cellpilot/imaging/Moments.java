package org.cellpilot.imaging;

/** Raw spatial moments up to first order of a binary mask, as {@code cv2.moments} returns them for a 0/1 image. */
public record Moments(double m00, double m10, double m01) {
    public static Moments of(boolean[] mask, int height, int width) {
        Grids.checkSize(mask.length, height, width);
        long count = 0;
        long sumX = 0;
        long sumY = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (mask[y * width + x]) {
                    count++;
                    sumX += x;
                    sumY += y;
                }
            }
        }
        return new Moments(count, sumX, sumY);
    }

    /** {@code m10 / m00}: NaN for an empty mask, as in the reference's division. */
    public double centroidX() {
        return m10 / m00;
    }

    public double centroidY() {
        return m01 / m00;
    }
}
