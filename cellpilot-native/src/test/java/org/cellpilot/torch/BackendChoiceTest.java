package org.cellpilot.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cellpilot.torch.loader.NativeLibraries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendChoiceTest {
    @TempDir
    Path tmp;

    @Test
    void ffmFromJava22AndJnaBelow() {
        BackendChoice java17 = BackendChoice.of(17, null, null);
        assertEquals(BackendChoice.Kind.JNA, java17.kind);
        assertEquals("Java 17 has no FFM API (Java 22+), so JNA", java17.reason);
        assertEquals(BackendChoice.Kind.JNA, BackendChoice.of(21, null, "").kind);
        BackendChoice java25 = BackendChoice.of(25, " ", null);
        assertEquals(BackendChoice.Kind.FFM, java25.kind);
        assertEquals("Java 25 has the FFM API, the default from Java 22", java25.reason);
        assertEquals(BackendChoice.Kind.FFM, BackendChoice.of(22, null, null).kind);
    }

    @Test
    void thePropertyOrTheVariableForcesOne() {
        BackendChoice property = BackendChoice.of(25, "jna", null);
        assertEquals(BackendChoice.Kind.JNA, property.kind);
        assertEquals("forced by -Dcellpilot.backend=jna", property.reason);
        BackendChoice env = BackendChoice.of(25, null, "JNA");
        assertEquals(BackendChoice.Kind.JNA, env.kind);
        assertEquals("forced by CELLPILOT_BACKEND=JNA", env.reason);
        assertEquals(BackendChoice.Kind.FFM, BackendChoice.of(25, "ffm", "jna").kind, "the property wins over the variable");
    }

    @Test
    void impossibleOrUnknownChoicesAreRefused() {
        IllegalStateException tooOld = assertThrows(IllegalStateException.class, () -> BackendChoice.of(17, null, "ffm"));
        assertEquals("CELLPILOT_BACKEND=ffm needs Java 22 or newer; this JVM is Java 17 (use jna, or leave it unset)",
                tooOld.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> BackendChoice.of(25, "cuda", null));
        assertEquals("-Dcellpilot.backend=cuda names no backend: use ffm or jna, or leave it unset", unknown.getMessage());
    }

    /** A library that is not one names itself, the path tried and what to do, on whichever backend this JVM runs. */
    @Test
    void aLibraryThatWillNotLoadIsNamedWithItsPathAndTheRemedy() throws IOException {
        Path fake = Files.write(tmp.resolve("libc10.so"), "not an ELF file".getBytes(StandardCharsets.US_ASCII));
        NativeLibraries.Plan plan = new NativeLibraries.Plan(tmp, List.of(fake), List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BackendChoice.forThisJvm().load(plan));
        assertTrue(e.getMessage().startsWith("cannot load libc10.so from " + fake + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith(". Point CELLPILOT_LIBTORCH at the lib folder of a libtorch >= 2.10 for this platform, "
                + "or delete " + tmp + " so that the bundled libraries are extracted again"), e.getMessage());
    }
}
