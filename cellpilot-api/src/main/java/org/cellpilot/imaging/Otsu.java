package org.cellpilot.imaging;

/**
 * Otsu's threshold of an 8-bit image as {@code cv2.threshold(…, THRESH_OTSU)} finds it: the first grey level t
 * that maximises the between-class variance of {≤ t} and {> t}. Foreground is then {@code value > t}.
 */
public final class Otsu {
    private static final double FLT_EPSILON = Math.ulp(1.0f);

    private Otsu() {}

    /** @param gray unsigned 8-bit values (Java bytes are read as 0…255) */
    public static int threshold(byte[] gray) {
        long[] histogram = new long[256];
        for (byte v : gray) {
            histogram[v & 0xFF]++;
        }
        double scale = 1.0 / gray.length;
        double mu = 0;
        for (int i = 0; i < 256; i++) {
            mu += i * (double) histogram[i];
        }
        mu *= scale;
        double mu1 = 0;
        double q1 = 0;
        double maxSigma = 0;
        int best = 0;
        for (int i = 0; i < 256; i++) {
            double p = histogram[i] * scale;
            mu1 *= q1;
            q1 += p;
            double q2 = 1.0 - q1;
            if (Math.min(q1, q2) < FLT_EPSILON || Math.max(q1, q2) > 1.0 - FLT_EPSILON) {
                continue;
            }
            mu1 = (mu1 + i * p) / q1;
            double mu2 = (mu - q1 * mu1) / q2;
            double sigma = q1 * q2 * (mu1 - mu2) * (mu1 - mu2);
            if (sigma > maxSigma) {
                maxSigma = sigma;
                best = i;
            }
        }
        return best;
    }
}
