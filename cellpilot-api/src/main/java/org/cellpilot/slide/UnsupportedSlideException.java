package org.cellpilot.slide;

import java.io.IOException;
import java.nio.file.Path;

/** A slide whose format needs OpenSlide, when OpenSlide is not installed or was not chosen. */
public final class UnsupportedSlideException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsupportedSlideException(Path file, String format) {
        super(file + " is " + format + ", which only OpenSlide reads: install it (apt-get install libopenslide0) and open it with"
                + " the openslide reader");
    }
}
