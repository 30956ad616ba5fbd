package org.cellpilot.eval;

import java.util.Locale;

/** The initial prompt of a click sequence. */
public enum Start {
    /** One positive point inside the instance. */
    POINT,
    /** The instance's bounding box, loosened by a few pixels. */
    BOX;

    /** The spelling in files and on the command line: {@code point} or {@code box}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
