package org.cellpilot.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cellpilot.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "info", description = "Show the libtorch in use, devices, threads and the CPU's bf16 support.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Torch torch = Torch.get();
        var out = spec.commandLine().getOut();
        out.printf("libtorch   %s (%s)%n", torch.version(), torch.location());
        out.printf("backend    %s %s on Java %s (%s)%n", torch.backendName(), torch.backendVersion(), System.getProperty("java.version"),
                torch.backendReason());
        out.printf("devices    cpu%s%n", torch.cudaAvailable() ? ", cuda" : " (no CUDA in this libtorch)");
        out.printf("threads    %d intra-op (ATen/OpenMP and OpenBLAS), %d cores%n", torch.threads(), Runtime.getRuntime().availableProcessors());
        out.printf("cpu bf16   %s%n", bf16Support());
        return 0;
    }

    /** The CPU flags that make bf16 matrix products fast. */
    private static String bf16Support() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return "unknown";
        }
        String flags = Files.readString(cpuinfo);
        boolean avx512 = flags.contains(" avx512_bf16");
        boolean amx = flags.contains(" amx_bf16");
        if (!avx512 && !amx) {
            return "no (bf16 runs emulated and slowly)";
        }
        return "yes (" + (avx512 ? "avx512_bf16" : "") + (avx512 && amx ? ", " : "") + (amx ? "amx_bf16" : "") + ")";
    }
}
