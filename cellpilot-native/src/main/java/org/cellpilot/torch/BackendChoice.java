package org.cellpilot.torch;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import org.cellpilot.torch.loader.NativeLibraries;
import org.cellpilot.torch.spi.TorchBackend;

/**
 * Which binding calls libtorch, and why: FFM on Java 22+, JNA on Java 17 to 21, unless the system property
 * {@value #PROPERTY} or the environment variable {@value #ENV} names one. Both backends load reflectively, so a
 * Java 17 host never touches the FFM backend's Java 22 classes.
 */
final class BackendChoice {
    static final String PROPERTY = Torch.BACKEND_PROPERTY;
    static final String ENV = "CELLPILOT_BACKEND";
    private static final int FFM_JAVA = 22;

    enum Kind {
        FFM("org.cellpilot.torch.ffm.FfmBackend"),
        JNA("org.cellpilot.torch.jna.JnaBackend");

        private final String className;

        Kind(String className) {
            this.className = className;
        }
    }

    final Kind kind;
    /** Why this backend, in words, for {@code cellpilot info} and the start-up log. */
    final String reason;

    private BackendChoice(Kind kind, String reason) {
        this.kind = kind;
        this.reason = reason;
    }

    static BackendChoice forThisJvm() {
        return of(Runtime.version().feature(), System.getProperty(PROPERTY), System.getenv(ENV));
    }

    /** The choice on a Java {@code javaFeature} JVM, given the property's and the variable's values (either may be null). */
    static BackendChoice of(int javaFeature, String property, String env) {
        String forced = null;
        String by = null;
        if (property != null && !property.isBlank()) {
            forced = property;
            by = "-D" + PROPERTY + "=" + property.trim();
        } else if (env != null && !env.isBlank()) {
            forced = env;
            by = ENV + "=" + env.trim();
        }
        if (forced == null) {
            return javaFeature >= FFM_JAVA
                    ? new BackendChoice(Kind.FFM, "Java " + javaFeature + " has the FFM API, the default from Java " + FFM_JAVA)
                    : new BackendChoice(Kind.JNA, "Java " + javaFeature + " has no FFM API (Java " + FFM_JAVA + "+), so JNA");
        }
        Kind kind;
        try {
            kind = Kind.valueOf(forced.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(by + " names no backend: use ffm or jna, or leave it unset", e);
        }
        if (kind == Kind.FFM && javaFeature < FFM_JAVA) {
            throw new IllegalStateException(by + " needs Java " + FFM_JAVA + " or newer; this JVM is Java " + javaFeature
                    + " (use jna, or leave it unset)");
        }
        return new BackendChoice(kind, "forced by " + by);
    }

    TorchBackend load(NativeLibraries.Plan plan) {
        warnIfNativeAccessDisabled();
        try {
            return (TorchBackend) Class.forName(kind.className).getMethod("load", NativeLibraries.Plan.class).invoke(null, plan);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("cannot load libtorch from " + plan.directory() + " with the " + kind + " backend: "
                    + cause, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot start the " + kind + " backend (" + reason + "): " + e
                    + (kind == Kind.JNA ? ". Put JNA 5.19.1 (net.java.dev.jna:jna) on the class path, or run on Java 22+" : ""), e);
        }
    }

    /**
     * From Java 22 the JDK warns at the first native call (FFM or JNI) of code without native access, and a later
     * JDK will refuse it. One line here says what to do; the CLI jar's manifest grants it already.
     */
    private static void warnIfNativeAccessDisabled() {
        if (Runtime.version().feature() < FFM_JAVA) {
            return;
        }
        try {
            Module module = BackendChoice.class.getModule();
            if (!(Boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(module)) {
                org.slf4j.LoggerFactory.getLogger(Torch.class).warn("native access is not enabled for CellPilot: add --enable-native-access="
                        + (module.isNamed() ? module.getName() : "ALL-UNNAMED")
                        + " to the java command (or Enable-Native-Access: ALL-UNNAMED to your jar's manifest)");
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Module.isNativeAccessEnabled missing on Java " + Runtime.version().feature(), e);
        }
    }
}
