package org.cellpilot.examples;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.cellpilot.CellPilot;
import org.cellpilot.Exports;
import org.cellpilot.Mask;
import org.cellpilot.RgbImage;
import org.cellpilot.Session;
import org.cellpilot.detect.HematoxylinDetector;
import org.cellpilot.detect.StainVectors;
import org.cellpilot.torch.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The automatic pipeline on one image: detect nuclei, segment each (with SAM when given), export. */
@Command(name = "segment", description = "Segment every nucleus of an image and write GeoJSON, labels, COCO RLE and an overlay.")
final class SegmentCommand implements Callable<Integer> {
    enum Format { GEOJSON, LABELS, COCO, OVERLAY }

    @Parameters(index = "0", description = "8-bit image (PNG, JPEG, TIFF, …).")
    Path image;

    @Option(names = "--sam", description = "SAM checkpoint (Meta .pth, CellPilot .ckpt, Hugging Face .safetensors). "
            + "Without it the detector's own masks are written.")
    Path sam;

    @Option(names = "--cellvit", description = "CellViT checkpoint; without it the built-in hematoxylin detector runs.")
    Path cellvit;

    @Option(names = "--stain", defaultValue = "he", description = "Stains for the built-in detector: he (H&E) or hdab "
            + "(hematoxylin-DAB, IHC) (default: ${DEFAULT-VALUE}).")
    String stain;

    @Mixin
    DeviceOption device;

    @Option(names = "--out", defaultValue = "cellpilot-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--format", split = ",", defaultValue = "geojson,labels,coco,overlay",
            description = "Comma-separated outputs: geojson, labels, coco, overlay (default: all).")
    List<String> formats;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (default: all cores).")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Set<Format> wanted = parseFormats(formats);
        StainVectors stainVectors = stains();
        Device d = device.get();
        RgbImage rgb = RgbImage.read(image);
        Files.createDirectories(out);
        String name = image.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        var err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        CellPilot.Builder builder = CellPilot.builder().device(d).threads(threads).sam(sam).cellvit(cellvit);
        if (cellvit == null) {
            builder.detector(HematoxylinDetector.builder().stains(stainVectors).build());
        }
        try (CellPilot cp = builder.build(); Session session = cp.open(rgb)) {
            long t1 = System.nanoTime();
            err.printf("[1/2] segmenting %s (%dx%d) with %s…%n", image.getFileName(), rgb.width(), rgb.height(),
                    (cellvit == null ? "the built-in detector" : "CellViT") + (sam == null ? "" : " + SAM"));
            List<Mask> cells = session.segmentAutomatically((done, total) -> ProgressBar.draw(err, done, total, "cells"));
            long t2 = System.nanoTime();
            err.printf("[2/2] writing %s%n", wanted.toString().toLowerCase(Locale.ROOT));
            if (wanted.contains(Format.GEOJSON)) {
                Exports.writeGeoJson(cells, out.resolve(name + ".geojson"));
            }
            if (wanted.contains(Format.LABELS)) {
                Exports.writeLabelImage(cells, rgb.width(), rgb.height(), out.resolve(name + "-labels" + (cells.size() > 65535 ? ".tif" : ".png")));
            }
            if (wanted.contains(Format.COCO)) {
                try (Writer w = Files.newBufferedWriter(out.resolve(name + "-coco.json"))) {
                    Exports.writeCocoRle(cells, rgb.width(), rgb.height(), w);
                }
            }
            if (wanted.contains(Format.OVERLAY)) {
                Exports.writeOverlay(rgb, cells, out.resolve(name + "-overlay.png"));
            }
            long t3 = System.nanoTime();
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d cells (load %.2f s, segment %.2f s, export %.2f s) -> %s%n",
                    image.getFileName(), cells.size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, out);
        }
        return 0;
    }

    private StainVectors stains() {
        switch (stain.toLowerCase(Locale.ROOT)) {
            case "he":
                return StainVectors.H_E;
            case "hdab":
                return StainVectors.H_DAB;
            default:
                throw new ParameterException(spec.commandLine(), "unknown stain '" + stain + "': use he or hdab");
        }
    }

    private Set<Format> parseFormats(List<String> names) {
        Set<Format> out = EnumSet.noneOf(Format.class);
        for (String n : names) {
            try {
                out.add(Format.valueOf(n.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "unknown format '" + n + "': use geojson, labels, coco or overlay");
            }
        }
        return out;
    }
}
