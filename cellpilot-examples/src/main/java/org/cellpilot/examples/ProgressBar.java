package org.cellpilot.examples;

import java.io.PrintWriter;

/** A one-line bar on stderr, redrawn in place; the line is finished when the last item is done. */
final class ProgressBar {
    private static final int WIDTH = 30;

    private ProgressBar() {
    }

    static void draw(PrintWriter err, int done, int total, String items) {
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        err.printf("\r      [%s%s] %d/%d %s", "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, items);
        if (done == total) {
            err.println();
        }
        err.flush();
    }
}
