package org.cellpilot;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes masks for other tools: GeoJSON for QuPath (and back), instance label images, COCO instances files
 * and overlay pictures. Coordinates are full-image pixels throughout. Writers are not closed.
 *
 * <p>The raster exports (label image, COCO, overlay) cover {@code [0, width) × [0, height)}; mask pixels
 * outside it are dropped.
 */
public final class Exports {
    /** Outline colour of interactive masks: none of the cell types' colours. */
    private static final int INTERACTIVE_RGB = 0x00ffff;
    /** Outline colour of automatic masks without a cell type. */
    private static final int UNTYPED_RGB = 0x39ff14;

    private Exports() {}

    /**
     * Writes a GeoJSON {@code FeatureCollection} that QuPath imports (File › Import objects), one {@code Feature}
     * per mask that has pixels (an empty mask is left out):
     * <ul>
     *   <li>{@code id}: a UUID derived from the mask's id and outline, so the same mask gets the same UUID on
     *       every save.</li>
     *   <li>{@code geometry}: {@link #geoJsonGeometry(Mask)}.</li>
     *   <li>{@code properties}: {@code objectType} ({@code "detection"} for automatic masks, {@code "annotation"}
     *       for interactive ones); {@code classification} {@code {name, color: [r, g, b]}} from the cell type,
     *       absent without one; {@code measurements} {@code {"Area px^2", "Predicted IoU", "Type probability"}}
     *       (a NaN value is left out); and, for CellPilot, {@code cellpilotId}, {@code source}
     *       ({@code AUTOMATIC} or {@code INTERACTIVE}) and {@code prompts}, each
     *       {@code {points: [{x, y, positive}], box: [x0, y0, x1, y1]}} with the box absent when there is none.</li>
     * </ul>
     */
    public static void writeGeoJson(List<Mask> masks, Writer out) throws IOException {
        out.write(GeoJson.write(masks));
    }

    /**
     * The GeoJSON geometry object of one mask, as JSON text: a {@code Polygon}, or a {@code MultiPolygon} for a mask
     * in several parts (an empty one for an empty mask), from {@link Mask#polygons()}. Rings run along the pixel
     * edges at integer coordinates and are closed by repeating the first position; exteriors are
     * counter-clockwise, holes clockwise (RFC 7946). So QuPath, which puts pixel (x, y) at [x, x+1) × [y, y+1),
     * shows the outline around the mask's pixels, its area equals the pixel count, and the geometry is valid
     * under the OGC rules (JTS, shapely). Every CellPilot output that carries outlines uses this geometry.
     */
    public static String geoJsonGeometry(Mask mask) {
        return GeoJson.geometry(mask);
    }

    /** {@link #writeGeoJson(List, Writer)} to a UTF-8 file. */
    public static void writeGeoJson(List<Mask> masks, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeGeoJson(masks, out);
        }
    }

    /**
     * Reads masks back from a {@link #writeGeoJson} file: pixels, id, source, cell type, probabilities and prompts
     * all come back as they were written. Only the geometry and {@code objectType} are required, so other files
     * that follow these conventions read too: a missing {@code cellpilotId} becomes the feature's 1-based
     * position, missing measurements become NaN, and {@code objectType} gives the source when {@code source} is
     * absent.
     *
     * @throws IllegalArgumentException naming the offending element (such as
     *     {@code features[2].geometry.coordinates[0][5]}) when the text is not such a collection: invalid JSON,
     *     geometry other than Polygon or MultiPolygon, open or short rings, coordinates that are not non-negative
     *     integers, unknown object types or classes, duplicate ids, malformed prompts
     */
    public static List<Mask> readGeoJson(Reader in) throws IOException {
        StringWriter text = new StringWriter();
        in.transferTo(text);
        return GeoJson.read(text.toString());
    }

    /** {@link #readGeoJson(Reader)} from a UTF-8 file. */
    public static List<Mask> readGeoJson(Path file) throws IOException {
        return GeoJson.read(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Writes an instance label image: pixel value {@code i + 1} where {@code masks.get(i)} is, 0 elsewhere. Where
     * masks overlap, the one with the higher {@link Mask#predictedIou()} takes the pixel (on a tie, the earlier
     * one; NaN counts as lowest). Up to 65535 masks this is a 16-bit grayscale PNG; beyond that a 32-bit
     * (signed integer) grayscale TIFF, zlib-compressed. Since the count picks the format, a file name ending in
     * {@code .png}, {@code .tif} or {@code .tiff} that names the other one is refused.
     */
    public static void writeLabelImage(List<Mask> masks, int width, int height, Path file) throws IOException {
        checkSize(width, height);
        boolean tiff = masks.size() > 0xffff;
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (tiff ? name.endsWith(".png") : name.endsWith(".tif") || name.endsWith(".tiff")) {
            throw new IllegalArgumentException(masks.size() + " masks make a " + (tiff ? "32-bit TIFF" : "16-bit PNG")
                    + " label image, but the file is named " + file.getFileName());
        }
        int[] labels = labels(masks, width, height);
        if (!tiff) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
            image.getRaster().setPixels(0, 0, width, height, labels);
            writePng(image, file);
            return;
        }
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), new int[] {32}, false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_INT);
        WritableRaster raster = Raster.createWritableRaster(model.createCompatibleSampleModel(width, height),
                new DataBufferInt(labels, labels.length), null);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType("ZLib");
        // A file image stream overwrites in place without truncating: a longer old file would leave a tail.
        Files.deleteIfExists(file);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(new BufferedImage(model, raster, false, null), null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static int[] labels(List<Mask> masks, int width, int height) {
        int[] labels = new int[width * height];
        for (int i = 0; i < masks.size(); i++) {
            MaskRaster r = clip(masks.get(i).raster(), width, height);
            double rank = rank(masks.get(i));
            int[] b = r.bounds();
            int bw = b[2] - b[0];
            boolean[] pixels = r.toArray();
            for (int k = 0; k < pixels.length; k++) {
                int p = (b[1] + k / bw) * width + b[0] + k % bw;
                if (pixels[k] && (labels[p] == 0 || rank > rank(masks.get(labels[p] - 1)))) {
                    labels[p] = i + 1;
                }
            }
        }
        return labels;
    }

    private static double rank(Mask m) {
        return Double.isNaN(m.predictedIou()) ? Double.NEGATIVE_INFINITY : m.predictedIou();
    }

    /**
     * Writes a COCO instances file for one image, which {@code pycocotools.coco.COCO(file)} loads and whose
     * {@code annotations} list {@code COCO.loadRes} takes as detection results, so {@code COCOeval} can score it:
     * <ul>
     *   <li>{@code images}: one, {@code {id: 1, file_name, width, height}}.</li>
     *   <li>{@code categories}: {@code {id, name, supercategory: "nucleus"}}: the {@link CellType}s (id = position
     *       + 1, names as {@link CellType#displayName()}) when any mask has a type, and {@code "object"} (the next
     *       id, or 1 alone) for masks without one.</li>
     *   <li>{@code annotations}, one per mask with pixels inside the image (others are left out, as
     *       {@link #writeGeoJson} leaves out empty masks): {@code id} (the mask's), {@code image_id} 1,
     *       {@code category_id}, {@code segmentation} {@code {size: [height, width], counts}}, {@code area} (pixels),
     *       {@code bbox} {@code [x, y, w, h]}, {@code iscrowd} 0 and {@code score} (the predicted IoU; 1 when it is
     *       NaN).</li>
     * </ul>
     * {@code counts} is COCO's compressed RLE string: the run lengths over the image in column-major (Fortran)
     * order, alternating background and foreground and starting with background (so a mask on the first pixel
     * starts with a 0 run); from the fourth run on each run is stored as its difference from the run two before;
     * each value is written in 5-bit groups, least significant first, as the characters {@code 48 + group}, with
     * bit 0x20 marking that another group follows and bit 0x10 of the last group the sign.
     * {@code pycocotools.mask.decode} reads it as it is. Mask pixels outside the image are dropped.
     */
    public static void writeCoco(List<Mask> masks, String fileName, int width, int height, Writer out) throws IOException {
        checkSize(width, height);
        List<Mask> kept = new ArrayList<>(masks.size());
        List<MaskRaster> clipped = new ArrayList<>(masks.size());
        for (Mask m : masks) {
            MaskRaster r = clip(m.raster(), width, height);
            if (!r.isEmpty()) {
                kept.add(m);
                clipped.add(r);
            }
        }
        out.write(Coco.write(kept, clipped, fileName, width, height));
    }

    /**
     * Writes {@code image} as a PNG with each mask's outline drawn over it: its boundary pixels (set pixels with an
     * unset 4-neighbour), so one pixel wide and inside the mask. Automatic masks take their cell type's colour
     * ({@link CellType#rgb()}), neon green without a type (visible on both stains and white background); interactive masks are cyan. Later masks draw over earlier
     * ones.
     */
    public static void writeOverlay(RgbImage image, List<Mask> masks, Path file) throws IOException {
        int width = image.width();
        int height = image.height();
        byte[] rgb = image.toBytes();
        int[] argb = new int[width * height];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | rgb[3 * i + 2] & 0xff;
        }
        for (Mask m : masks) {
            int colour = m.source() == Mask.Source.INTERACTIVE ? INTERACTIVE_RGB : m.type().map(CellType::rgb).orElse(UNTYPED_RGB);
            int[] b = m.bbox();
            int bw = b[2] - b[0];
            int bh = b[3] - b[1];
            boolean[] pixels = m.raster().toArray();
            for (int k = 0; k < pixels.length; k++) {
                int x = b[0] + k % bw;
                int y = b[1] + k / bw;
                if (pixels[k] && x >= 0 && y >= 0 && x < width && y < height && isBoundary(pixels, k % bw, k / bw, bw, bh)) {
                    argb[y * width + x] = colour;
                }
            }
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, width, height, argb, 0, width);
        writePng(out, file);
    }

    private static void writePng(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    /** Whether set pixel (x, y) of a w × h grid has an unset 4-neighbour, counting outside the grid as unset. */
    private static boolean isBoundary(boolean[] pixels, int x, int y, int w, int h) {
        int i = y * w + x;
        return x == 0 || y == 0 || x == w - 1 || y == h - 1 || !pixels[i - 1] || !pixels[i + 1] || !pixels[i - w] || !pixels[i + w];
    }

    /** The part of {@code r} inside [0, width) × [0, height). */
    private static MaskRaster clip(MaskRaster r, int width, int height) {
        int[] b = r.bounds();
        if (b[0] >= 0 && b[1] >= 0 && b[2] <= width && b[3] <= height) {
            return r;
        }
        int bw = b[2] - b[0];
        boolean[] pixels = r.toArray();
        int x0 = Math.max(0, b[0]);
        int y0 = Math.max(0, b[1]);
        return MaskRaster.of(x0, y0, Math.max(0, Math.min(width, b[2]) - x0), Math.max(0, Math.min(height, b[3]) - y0),
                (x, y) -> pixels[(y - b[1]) * bw + x - b[0]]);
    }

    private static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("invalid image size " + width + "x" + height + ": needs 1.." + Integer.MAX_VALUE + " pixels");
        }
    }
}
