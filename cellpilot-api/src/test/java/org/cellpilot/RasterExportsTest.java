package org.cellpilot;

import static org.cellpilot.OutlinesTest.raster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RasterExportsTest {
    @TempDir
    Path dir;

    private static Mask mask(long id, MaskRaster r, double iou) {
        return new Mask(id, r, iou, null, Double.NaN, Mask.Source.AUTOMATIC, List.of());
    }

    private static Mask pixel(int x, int y) {
        return mask(1, MaskRaster.of(x, y, 1, 1, (px, py) -> true), 1.0);
    }

    private static Raster readBack(Path file, int bitsPerSample) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(1, image.getSampleModel().getNumBands());
        assertEquals(bitsPerSample, image.getSampleModel().getSampleSize(0));
        return image.getRaster();
    }

    private static String rows(Raster r) {
        StringBuilder sb = new StringBuilder();
        for (int y = 0; y < r.getHeight(); y++) {
            for (int x = 0; x < r.getWidth(); x++) {
                sb.append(r.getSample(x, y, 0));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Test
    void labelPngHoldsOneBasedIndicesAndTheHigherIouWinsOverlaps() throws IOException {
        List<Mask> masks = List.of(
                mask(10, raster(0, 0, "###", "###"), 0.5),
                mask(20, raster(2, 0, "###", "###"), 0.9),
                mask(30, raster(4, 1, "##", "##"), Double.NaN),
                mask(40, raster(0, 2, "##"), 0.5),
                mask(50, raster(0, 2, "#"), 0.5),
                // Partly outside the 6 x 4 image.
                mask(60, raster(5, 3, "##", "##"), 0.1));
        Path file = dir.resolve("labels.png");
        Exports.writeLabelImage(masks, 6, 4, file);
        assertEquals("""
                112220
                112223
                440033
                000006
                """, rows(readBack(file, 16)));
    }

    @Test
    void labelPngKeepsLabelsAbove255() throws IOException {
        List<Mask> masks = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            masks.add(pixel(i % 20, i / 20));
        }
        Path file = dir.resolve("labels.png");
        Exports.writeLabelImage(masks, 20, 20, file);
        Raster r = readBack(file, 16);
        assertEquals(1, r.getSample(0, 0, 0));
        assertEquals(300, r.getSample(19, 14, 0));
        assertEquals(400, r.getSample(19, 19, 0));
    }

    @Test
    void moreThan65535MasksMakeA32BitTiff() throws IOException {
        int n = 70_000;
        List<Mask> masks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            masks.add(pixel(i % 300, i / 300));
        }
        Path file = dir.resolve("labels.tif");
        Exports.writeLabelImage(masks, 300, 300, file);
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 4);
        assertEquals(true, Arrays.equals(head, new byte[] {'I', 'I', 42, 0}) || Arrays.equals(head, new byte[] {'M', 'M', 0, 42}),
                "TIFF magic");
        Raster r = readBack(file, 32);
        assertEquals(1, r.getSample(0, 0, 0));
        assertEquals(65_536, r.getSample(65_535 % 300, 65_535 / 300, 0));
        assertEquals(70_000, r.getSample(69_999 % 300, 69_999 / 300, 0));
        assertEquals(0, r.getSample(299, 299, 0));
    }

    @Test
    void labelFileNamesThatContradictTheFormatAreRefused() {
        List<Mask> few = List.of(pixel(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Exports.writeLabelImage(few, 2, 2, dir.resolve("labels.TIF")));
        List<Mask> many = new ArrayList<>();
        for (int i = 0; i < 65_536; i++) {
            many.add(pixel(0, 0));
        }
        assertThrows(IllegalArgumentException.class, () -> Exports.writeLabelImage(many, 2, 2, dir.resolve("labels.png")));
        assertFalse(Files.exists(dir.resolve("labels.png")));
        assertThrows(IllegalArgumentException.class, () -> Exports.writeLabelImage(few, 0, 2, dir.resolve("labels.png")));
    }

    @Test
    void overlayDrawsOutlinesInTheMaskColourAndLeavesTheRestOfTheImage() throws IOException {
        int w = 12;
        int h = 10;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[(y * w + x) * 3] = (byte) (10 * x);
                rgb[(y * w + x) * 3 + 1] = (byte) (20 * y);
                rgb[(y * w + x) * 3 + 2] = (byte) 77;
            }
        }
        RgbImage image = RgbImage.of(rgb, w, h, 3);
        Mask neoplastic = new Mask(1, raster(1, 1,
                "#####",
                "#####",
                "#####",
                "#####",
                "#####"), 0.9, CellType.NEOPLASTIC, 0.9, Mask.Source.AUTOMATIC, List.of());
        Mask interactive = new Mask(2, raster(7, 6,
                "###",
                "###",
                "###"), 0.9, null, Double.NaN, Mask.Source.INTERACTIVE, List.of());
        Mask untyped = mask(3, raster(11, 0, "#"), 0.9);
        Path file = dir.resolve("overlay.png");
        Exports.writeOverlay(image, List.of(neoplastic, interactive, untyped), file);
        BufferedImage out = ImageIO.read(file.toFile());
        assertEquals(w, out.getWidth());
        assertEquals(h, out.getHeight());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int expected;
                boolean inRed = x >= 1 && x <= 5 && y >= 1 && y <= 5;
                boolean inCyan = x >= 7 && x <= 9 && y >= 6 && y <= 8;
                if (inRed && (x == 1 || x == 5 || y == 1 || y == 5)) {
                    expected = 0xff0000;
                } else if (inCyan && (x != 8 || y != 7)) {
                    expected = 0x00ffff;
                } else if (x == 11 && y == 0) {
                    expected = 0x39ff14;
                } else {
                    expected = (10 * x) << 16 | (20 * y) << 8 | 77;
                }
                assertEquals(Integer.toHexString(expected), Integer.toHexString(out.getRGB(x, y) & 0xffffff), "(" + x + ", " + y + ")");
            }
        }
    }
}
