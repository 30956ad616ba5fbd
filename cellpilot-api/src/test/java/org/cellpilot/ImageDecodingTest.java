package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.cellpilot.testing.CmykJpeg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files whose pixels are known by construction (we write the samples; PNG, BMP, GIF and TIFF are lossless) must
 * come back exactly; CMYK JPEGs within a stated bound of the value their profile defines.
 */
class ImageDecodingTest {
    private static final int[] GREYS = {50, 100, 150, 200};

    @TempDir
    Path dir;

    private Path write(BufferedImage image, String format) throws IOException {
        Path file = dir.resolve("image." + format);
        assertTrue(ImageIO.write(image, format, file.toFile()), "a " + format + " writer for " + image);
        return file;
    }

    private static BufferedImage greyLevels() {
        BufferedImage grey = new BufferedImage(GREYS.length, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setPixels(0, 0, GREYS.length, 1, GREYS);
        return grey;
    }

    private static void assertGreys(RgbImage image) {
        for (int x = 0; x < GREYS.length; x++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(GREYS[x], image.get(x, 0, c), "grey " + GREYS[x] + ", channel " + c);
            }
        }
    }

    @Test
    void greyLevelsComeBackExactly() throws IOException {
        assertGreys(RgbImage.of(greyLevels()));
        for (String format : new String[] {"png", "tiff", "bmp"}) {
            assertGreys(RgbImage.read(write(greyLevels(), format)));
        }
    }

    @Test
    void greyWithAlphaKeepsItsGreyLevels() throws IOException {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(GREYS.length, 1);
        for (int x = 0; x < GREYS.length; x++) {
            raster.setPixel(x, 0, new int[] {GREYS[x], 60 * x});
        }
        assertGreys(RgbImage.read(write(new BufferedImage(model, raster, false, null), "png")));
    }

    /** Random colours; with alpha, every alpha level too (the colour must not be blended with it). */
    private static BufferedImage randomColours(int type, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(16, 16, type);
        int bands = image.getRaster().getNumBands();
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int[] v = new int[bands];
                for (int b = 0; b < bands; b++) {
                    v[b] = random.nextInt(256);
                }
                image.getRaster().setPixel(x, y, v);
            }
        }
        return image;
    }

    private static void assertSameColours(BufferedImage expected, RgbImage actual) {
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int[] v = expected.getRaster().getPixel(x, y, (int[]) null);
                for (int c = 0; c < 3; c++) {
                    assertEquals(v[c], actual.get(x, y, c), "(" + x + ", " + y + ") channel " + c);
                }
            }
        }
    }

    @Test
    void rgbAndRgbaComeBackExactly() throws IOException {
        BufferedImage rgb = randomColours(BufferedImage.TYPE_3BYTE_BGR, 1);
        for (String format : new String[] {"png", "bmp", "tiff"}) {
            assertSameColours(rgb, RgbImage.read(write(rgb, format)));
        }
        BufferedImage rgba = randomColours(BufferedImage.TYPE_4BYTE_ABGR, 2);
        assertSameColours(rgba, RgbImage.read(write(rgba, "png")));
        assertSameColours(rgba, RgbImage.read(write(rgba, "tiff")));
        assertSameColours(rgba, RgbImage.of(rgba));
    }

    @Test
    void paletteImagesTakeTheirPaletteColours() throws IOException {
        byte[] r = {(byte) 230, 10, 127, 0};
        byte[] g = {20, (byte) 200, 127, 0};
        byte[] b = {40, 90, (byte) 255, 0};
        IndexColorModel palette = new IndexColorModel(8, 4, r, g, b);
        // 8 rows: the JDK's GIF writer drops rows of smaller images (its interlacing).
        BufferedImage image = new BufferedImage(4, 8, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int i = 0; i < 32; i++) {
            image.getRaster().setSample(i % 4, i / 4, 0, (i + i / 4) % 4);
        }
        // (The JDK's BMP writer packs this palette wrongly; a grey BMP, above, is an 8-bit palette file.)
        for (String format : new String[] {"png", "gif"}) {
            RgbImage read = RgbImage.read(write(image, format));
            for (int i = 0; i < 32; i++) {
                int index = image.getRaster().getSample(i % 4, i / 4, 0);
                assertEquals(r[index] & 0xff, read.get(i % 4, i / 4, 0), format);
                assertEquals(g[index] & 0xff, read.get(i % 4, i / 4, 1), format);
                assertEquals(b[index] & 0xff, read.get(i % 4, i / 4, 2), format);
            }
        }
    }

    private Path twoPageTiff(BufferedImage first, BufferedImage second) throws IOException {
        Path file = dir.resolve("pages.tif");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(first, null, null), null);
            writer.writeToSequence(new IIOImage(second, null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return file;
    }

    /** What the read logs (slf4j-simple writes to the current System.err). */
    private static String logOf(IoCall call) throws IOException {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            call.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private interface IoCall {
        void run() throws IOException;
    }

    @Test
    void multiPageTiffGivesPageOneAndSaysSo() throws IOException {
        BufferedImage first = greyLevels();
        BufferedImage second = new BufferedImage(GREYS.length, 1, BufferedImage.TYPE_BYTE_GRAY);
        second.getRaster().setPixels(0, 0, GREYS.length, 1, new int[] {7, 7, 7, 7});
        Path pages = twoPageTiff(first, second);
        String log = logOf(() -> assertGreys(RgbImage.read(pages)));
        assertTrue(log.contains("2 pages; reading page 1 of 2"), log);

        BufferedImage big = randomColours(BufferedImage.TYPE_3BYTE_BGR, 3);
        Path pyramid = twoPageTiff(big, new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR));
        String pyramidLog = logOf(() -> assertSameColours(big, RgbImage.read(pyramid)));
        assertTrue(pyramidLog.contains("a pyramid of 2 pages; reading page 1 of 2, the full resolution"), pyramidLog);
        assertEquals("", logOf(() -> RgbImage.read(write(greyLevels(), "png"))), "one page: nothing to say");
    }

    /**
     * Patches of known ink: paper, each ink alone at 40 %, a mix, and pure black. Expected sRGB from the profile's
     * definition (CmykJpeg); bound 4 levels for JPEG rounding (quality 1.0, 16×16 flat patches) and lcms's
     * 16-bit arithmetic. Inks stay at or below 90 %, where one level of ink moves sRGB by under 2 levels.
     */
    @Test
    void cmykAndYcckJpegsUseTheirIccProfile() throws IOException {
        int[][] patches = {{0, 0, 0, 0}, {102, 0, 0, 0}, {0, 102, 0, 0}, {0, 0, 102, 0}, {128, 51, 230, 0}, {0, 0, 0, 255}};
        for (boolean ycck : new boolean[] {false, true}) {
            Path file = dir.resolve(ycck ? "ycck.jpg" : "cmyk.jpg");
            Files.write(file, CmykJpeg.write(patches, ycck));
            RgbImage image = RgbImage.read(file);
            for (int i = 0; i < patches.length; i++) {
                for (int c = 0; c < 3; c++) {
                    double expected = patches[i][3] == 255 ? 0 : CmykJpeg.expectedSrgb(patches[i][c] / 255.0);
                    int actual = image.get(16 * i + 8, 8, c);
                    assertTrue(Math.abs(actual - expected) <= 4, (ycck ? "YCCK" : "CMYK") + " patch " + i + " channel " + c + ": "
                            + actual + ", expected " + expected);
                }
            }
        }
    }
}
