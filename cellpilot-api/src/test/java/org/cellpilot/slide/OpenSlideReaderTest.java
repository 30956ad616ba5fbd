package org.cellpilot.slide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.cellpilot.testing.VipsSlides;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenSlide and the pure-Java reader on the same libvips pyramid (generic tiled TIFF, which OpenSlide reads too). */
class OpenSlideReaderTest {
    /**
     * OpenSlide decodes with libjpeg-turbo, the TIFF reader with the JDK's libjpeg 6b port. Both use the accurate
     * integer IDCT and the same chroma upsampling, and gave identical pixels here (Debian 12, libjpeg-turbo 2.1.5);
     * the bound leaves two levels per channel for a libjpeg-turbo built with another IDCT.
     */
    static final int JPEG_DECODERS_MAX_DIFFERENCE = 2;
    static final double JPEG_DECODERS_MEAN_DIFFERENCE = 0.5;

    @TempDir
    Path dir;

    @BeforeEach
    void needsVipsAndOpenSlide() {
        VipsSlides.assumeVips();
        assumeTrue(OpenSlideBinding.load().isPresent(), "OpenSlide is not installed: " + OpenSlideBinding.whyMissing());
    }

    /** The JNA binding (what Java 17 and 21 hosts use) reads what the FFM one reads, bit for bit. */
    @Test
    void jnaAndFfmBindingsAgree() throws IOException {
        Path tif = VipsSlides.pyramid(VipsSlides.sample(), dir.resolve("jna.tif"), "jpeg", 128);
        OpenSlideLibrary ffm = OpenSlideBinding.load().orElseThrow();
        OpenSlideLibrary jna = JnaOpenSlide.load();
        long a = ffm.open(tif.toString());
        long b = jna.open(tif.toString());
        try {
            assertEquals(ffm.levelCount(a), jna.levelCount(b));
            assertEquals(java.util.Arrays.toString(ffm.levelDimensions(a, 1)), java.util.Arrays.toString(jna.levelDimensions(b, 1)));
            assertEquals(ffm.levelDownsample(a, 2), jna.levelDownsample(b, 2));
            assertEquals(ffm.property(a, "openslide.vendor"), jna.property(b, "openslide.vendor"));
            int[] fromFfm = new int[90 * 70];
            int[] fromJna = new int[90 * 70];
            ffm.readRegion(a, fromFfm, 200, 150, 0, 90, 70);
            jna.readRegion(b, fromJna, 200, 150, 0, 90, 70);
            assertTrue(java.util.Arrays.equals(fromFfm, fromJna));
            assertTrue(fromFfm[0] != 0, "pixels were read");
            assertEquals(null, jna.error(b));
        } finally {
            ffm.close(a);
            jna.close(b);
        }
    }

    @Test
    void bothReadersAgreeWithinTheJpegDecodersDifference() throws IOException {
        Path tif = VipsSlides.pyramid(VipsSlides.sample(), dir.resolve("jpeg.tif"), "jpeg", 128, "--xres", "2000", "--yres", "2000");
        try (TiffSlideReader tiff = TiffSlideReader.open(tif); OpenSlideReader os = OpenSlideReader.open(tif, "TIFF")) {
            assertEquals(tiff.levelCount(), os.levelCount());
            for (int l = 0; l < tiff.levelCount(); l++) {
                assertEquals(tiff.levelWidth(l), os.levelWidth(l));
                assertEquals(tiff.downsample(l), os.downsample(l), 1e-9);
            }
            assertEquals(0.5, os.micronsPerPixel().getAsDouble(), 1e-9);
            assertEquals(0.5, tiff.micronsPerPixel().getAsDouble(), 1e-9);
            int[][] regions = {{0, 0, 0, 512, 512}, {0, 100, 70, 200, 150}, {1, 64, 128, 100, 60}, {2, 0, 0, 128, 128}};
            for (int[] r : regions) {
                byte[] a = tiff.read(r[0], r[1], r[2], r[3], r[4]);
                byte[] b = os.read(r[0], r[1], r[2], r[3], r[4]);
                int max = 0;
                long sum = 0;
                for (int i = 0; i < a.length; i++) {
                    int d = Math.abs((a[i] & 0xff) - (b[i] & 0xff));
                    max = Math.max(max, d);
                    sum += d;
                }
                double mean = (double) sum / a.length;
                assertTrue(max <= JPEG_DECODERS_MAX_DIFFERENCE && mean <= JPEG_DECODERS_MEAN_DIFFERENCE,
                        "level " + r[0] + " region: max " + max + ", mean " + mean);
            }
        }
    }
}
