package org.cellpilot.slide;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds libopenslide ({@code libopenslide.so.1}, OpenSlide 4, or {@code libopenslide.so.0}, 3.4.1 as Debian ships
 * it) and binds it once: through FFM on Java 22+ ({@code org.cellpilot.slide.ffm}, compiled for 22), through JNA on
 * Java 17 and 21.
 */
final class OpenSlideBinding {
    private static final Logger LOG = LoggerFactory.getLogger(OpenSlideBinding.class);
    private static final String FFM_BINDING = "org.cellpilot.slide.ffm.FfmOpenSlide";
    private static volatile Optional<OpenSlideLibrary> loaded;
    private static volatile String why = "not loaded";

    private OpenSlideBinding() {}

    static synchronized Optional<OpenSlideLibrary> load() {
        if (loaded == null) {
            loaded = bind();
        }
        return loaded;
    }

    /** Why the last {@link #load()} found no binding. */
    static String whyMissing() {
        return why;
    }

    private static Optional<OpenSlideLibrary> bind() {
        if (Runtime.version().feature() < 22) {
            try {
                OpenSlideLibrary lib = JnaOpenSlide.load();
                LOG.debug("OpenSlide bound through JNA");
                return Optional.of(lib);
            } catch (LinkageError e) {
                why = "libopenslide not found: " + e.getMessage();
                return Optional.empty();
            }
        }
        try {
            OpenSlideLibrary lib = (OpenSlideLibrary) Class.forName(FFM_BINDING).getMethod("load").invoke(null);
            LOG.debug("OpenSlide bound through FFM");
            return Optional.of(lib);
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            why = "libopenslide not found: " + cause.getMessage();
            return Optional.empty();
        }
    }
}
