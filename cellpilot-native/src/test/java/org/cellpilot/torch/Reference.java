package org.cellpilot.torch;

/** Independent scalar formulas that tests compare ops against. */
final class Reference {
    private Reference() {
    }

    /** erf by its Maclaurin series, which converges fast and exactly enough for |x| <= 3. */
    static double erf(double x) {
        double sum = 0;
        double term = x;
        for (int n = 0; n < 80; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
