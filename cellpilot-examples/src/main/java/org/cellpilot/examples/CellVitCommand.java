package org.cellpilot.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cellpilot.RgbImage;
import org.cellpilot.cellvit.CellVit;
import org.cellpilot.cellvit.CellVitOutput;
import org.cellpilot.cellvit.CellVitTiler;
import org.cellpilot.cellvit.HoverPostProcess;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.SafetensorsWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** CellViT's raw maps (and, optionally, its post-processed cells) for an image that is one network tile. */
@Command(name = "cellvit", description = "Run CellViT on one tile and write its raw maps (and cells) like the golden files.")
final class CellVitCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = "--weights", required = true, description = "CellViT checkpoint (.pth).")
    Path weights;

    @Option(names = "--image", required = true, description = "8-bit image whose sides are multiples of 16, at most 1024.")
    Path image;

    @Option(names = "--out", required = true, description = "Output safetensors file for the maps.")
    Path out;

    @Option(names = "--cells", description = "Also write the post-processed cells as JSON.")
    Path cells;

    @Option(names = "--heads", defaultValue = "6", description = "Encoder heads of a ViT-256 model (default: ${DEFAULT-VALUE}).")
    int heads;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws IOException {
        RgbImage rgb = RgbImage.read(image);
        if (rgb.width() % 16 != 0 || rgb.height() % 16 != 0 || rgb.width() > CellVitTiler.TILE || rgb.height() > CellVitTiler.TILE) {
            throw new IllegalArgumentException("image is " + rgb.width() + "x" + rgb.height() + "; this command takes one tile whose sides "
                    + "are multiples of 16 and at most " + CellVitTiler.TILE + " (no resizing)");
        }
        try (CellVit model = CellVit.load(weights, heads, device.get()); Scope scope = Scope.open()) {
            Tensor pixels = Tensor.ofBytes(rgb.toBytes(), DType.UINT8, 1, rgb.height(), rgb.width(), 3);
            try (CellVitOutput maps = model.forward(CellVit.normalize(pixels))) {
                Map<String, Tensor> tensors = new LinkedHashMap<>();
                tensors.put("tissue_types", maps.tissueTypes());
                tensors.put("nuclei_binary_map", maps.nucleiBinaryMap());
                tensors.put("hv_map", maps.hvMap());
                tensors.put("nuclei_type_map", maps.nucleiTypeMap());
                SafetensorsWriter.write(out, tensors);
                if (cells != null) {
                    CellsJson.write(cells, HoverPostProcess.forMagnification(40)
                            .process(maps.nucleiBinaryMap(), maps.hvMap(), maps.nucleiTypeMap()).cells());
                }
            }
        }
        return 0;
    }
}
