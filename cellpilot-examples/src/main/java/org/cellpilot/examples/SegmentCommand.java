package org.cellpilot.examples;

import java.awt.Rectangle;
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
import org.cellpilot.Slide;
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

/**
 * The automatic pipeline on one image: detect nuclei, segment each (with SAM when given), export. A whole slide, or a
 * region of one, is streamed tile by tile instead (see {@link SlideSegmentation}).
 */
@Command(name = "segment", description = "Segment every nucleus of an image and write GeoJSON, labels, a COCO instances file and an overlay; "
        + "for a whole slide, stream GeoJSON in level-0 pixels and an overview PNG.")
final class SegmentCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    enum Format { GEOJSON, LABELS, COCO, OVERLAY }


    @Parameters(index = "0", paramLabel = "IMAGE", description = "8-bit image (PNG, JPEG, TIFF, …) or whole slide (TIFF, SVS; NDPI, MRXS, SCN, VMS, BIF "
            + "with OpenSlide).")
    Path image;

    @Option(names = "--region", split = ",", description = "Slides: only the level-0 rectangle x,y,w,h.")
    int[] region;

    @Option(names = "--mpp", description = "Slides: microns per level-0 pixel, overriding (or supplying) the file's.")
    Double mpp;

    @Option(names = "--reader", defaultValue = "auto", description = "Slides: auto, tiff (pure Java) or openslide (default: ${DEFAULT-VALUE}).")
    String reader;

    @Option(names = "--resume", description = "Slides: continue an interrupted run from the journal beside its GeoJSON.")
    boolean resume;

    @Mixin
    ModelFiles models;

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
        String name = image.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        CellPilot.Builder builder = models.builder().device(d).threads(threads);
        if (models.cellvit == null) {
            builder.detector(HematoxylinDetector.builder().stains(stainVectors).build());
        }
        if (PLAIN_IMAGES.contains(extension()) && region == null && !resume && reader.equals("auto")) {
            return segmentImage(RgbImage.read(image), wanted, builder, name);
        }
        try (Slide slide = Slide.open(image, readerChoice())) {
            boolean stream = region != null || resume || !slide.segmentedWhole();
            if (!stream) {
                return segmentImage(slide.readRegion(0, 0, 0, (int) slide.width(), (int) slide.height()), wanted, builder, name);
            }
            boolean explicitFormats = spec.commandLine().getParseResult().hasMatchedOption("--format");
            if (explicitFormats && !wanted.equals(EnumSet.of(Format.GEOJSON))) {
                throw new ParameterException(spec.commandLine(), "labels, COCO and overlay are written for images up to 4096x4096 pixels, and "
                        + image.getFileName() + " is " + slide.width() + "x" + slide.height() + (region == null ? "" : " (or a --region run)")
                        + ": use --format geojson; the overview PNG shows the cells");
            }
            Files.createDirectories(out);
            try (CellPilot cp = builder.build()) {
                return SlideSegmentation.run(cp, slide, regionRectangle(), mpp == null ? Double.NaN : mpp, resume, out, name,
                        spec.commandLine().getOut(), spec.commandLine().getErr());
            }
        }
    }

    private static final Set<String> PLAIN_IMAGES = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private String extension() {
        String n = image.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.substring(n.lastIndexOf('.') + 1);
    }

    private Slide.Reader readerChoice() {
        switch (reader.toLowerCase(Locale.ROOT)) {
            case "auto":
                return Slide.Reader.AUTO;
            case "tiff":
                return Slide.Reader.TIFF;
            case "openslide":
                return Slide.Reader.OPENSLIDE;
            default:
                throw new ParameterException(spec.commandLine(), "unknown reader '" + reader + "': use auto, tiff or openslide");
        }
    }

    private Rectangle regionRectangle() {
        if (region == null) {
            return null;
        }
        if (region.length != 4) {
            throw new ParameterException(spec.commandLine(), "--region takes x,y,w,h in level-0 pixels, got " + region.length + " numbers");
        }
        return new Rectangle(region[0], region[1], region[2], region[3]);
    }

    /** The whole image in memory: every output format, in the image's pixels. */
    private int segmentImage(RgbImage rgb, Set<Format> wanted, CellPilot.Builder builder, String name) throws IOException {
        Files.createDirectories(out);
        var err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        try (CellPilot cp = builder.build(); Session session = cp.open(rgb)) {
            long t1 = System.nanoTime();
            err.printf("[1/2] segmenting %s (%dx%d) with %s…%n", image.getFileName(), rgb.width(), rgb.height(),
                    (models.cellvit == null ? "the built-in detector" : "CellViT") + (models.sam == null ? "" : " + SAM"));
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
                    Exports.writeCoco(cells, image.getFileName().toString(), rgb.width(), rgb.height(), w);
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
        try {
            return StainVectors.named(stain);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
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
