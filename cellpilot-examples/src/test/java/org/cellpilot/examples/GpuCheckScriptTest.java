package org.cellpilot.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/gpu-check on a host without a GPU: it says so and exits 3, before building or running anything. */
class GpuCheckScriptTest {
    private static final Path SCRIPT = Path.of("..", "scripts", "gpu-check").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void withoutACudaDeviceItSaysSoAndExitsThree() throws IOException, InterruptedException {
        // An nvidia-smi that finds no GPU, as on a machine with the driver tools but no device.
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path smi = Files.writeString(bin.resolve("nvidia-smi"), "#!/bin/sh\necho 'No devices were found'\nexit 6\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), tmp.toString()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, p.waitFor(), output);
        assertTrue(output.startsWith("gpu-check: no CUDA device is present"), output);
    }

    @Test
    void withoutALibtorchFolderItPrintsItsUsage() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), output);
        assertTrue(output.startsWith("usage: scripts/gpu-check LIBTORCH_LIB_DIR"), output);
    }
}
