package org.cellpilot.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cellpilot.cellvit.HoverPostProcess;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** HoVer-Net post-processing alone, from maps written by {@code cellvit} (or by the reference). */
@Command(name = "postprocess", description = "Turn CellViT maps (safetensors) into cells JSON.")
final class PostprocessCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = "--maps", required = true, description = "Safetensors with nuclei_binary_map, hv_map, nuclei_type_map (batch 1).")
    Path maps;

    @Option(names = "--out", required = true, description = "Output cells JSON.")
    Path out;

    @Override
    public Integer call() throws IOException {
        StateDict sd = StateDict.load(maps);
        for (String key : new String[] {"nuclei_binary_map", "hv_map", "nuclei_type_map"}) {
            if (!sd.contains(key)) {
                throw new IllegalArgumentException(maps + " has no '" + key + "' tensor");
            }
        }
        try (Tensor np = sd.get("nuclei_binary_map"); Tensor hv = sd.get("hv_map"); Tensor nt = sd.get("nuclei_type_map")) {
            CellsJson.write(out, HoverPostProcess.forMagnification(40).process(np, hv, nt).cells());
        }
        return 0;
    }
}
