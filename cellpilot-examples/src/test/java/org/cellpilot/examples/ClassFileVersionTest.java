package org.cellpilot.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cellpilot.CellPilot;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Java 17 and 21 hosts load the CLI, the API, the models and the native layer, so all of their classes must be
 * class-file version 61 (Java 17). Only the FFM packages, which load on Java 22+ alone, may be newer.
 */
class ClassFileVersionTest {
    private static final int JAVA_17 = 61;

    @Test
    void everyClassOutsideTheFfmPackagesIsJava17() throws IOException, URISyntaxException {
        List<String> newer = new ArrayList<>();
        int checked = 0;
        for (Class<?> module : List.of(Main.class, CellPilot.class, Tensor.class)) {
            // A classes folder in a test run, the module's jar once Maven has packaged it.
            Path location = Path.of(module.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
                Path root = jar == null ? location : jar.getPath("/");
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                        String name = root.relativize(f).toString();
                        int major = major(f);
                        checked++;
                        if (major != JAVA_17 && !name.contains("/ffm/")) {
                            newer.add(name + " (" + major + ")");
                        }
                    }
                }
            }
        }
        assertTrue(checked > 100, "only " + checked + " classes found");
        assertEquals(List.of(), newer);
    }

    private static int major(Path classFile) throws IOException {
        try (InputStream in = Files.newInputStream(classFile); DataInputStream data = new DataInputStream(in)) {
            assertEquals(0xCAFEBABE, data.readInt(), classFile.toString());
            data.readUnsignedShort();
            return data.readUnsignedShort();
        }
    }
}
