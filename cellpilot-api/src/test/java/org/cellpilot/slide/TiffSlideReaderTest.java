package org.cellpilot.slide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cellpilot.RgbImage;
import org.cellpilot.testing.VipsSlides;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure-Java TIFF reader on pyramids written by libvips. */
class TiffSlideReaderTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsVips() {
        VipsSlides.assumeVips();
    }

    @Test
    void losslessPyramidGivesBackTheSamplesPixelsAndHalvingLevels() throws IOException {
        Path tif = VipsSlides.pyramid(VipsSlides.sample(), dir.resolve("deflate.tif"), "deflate", 128, "--bigtiff");
        RgbImage sample = RgbImage.read(VipsSlides.sample());
        try (TiffSlideReader r = TiffSlideReader.open(tif)) {
            assertEquals(3, r.levelCount(), "512, 256 and 128 px levels");
            assertEquals(512, r.levelWidth(0));
            assertEquals(256, r.levelWidth(1));
            assertEquals(2.0, r.downsample(1), 1e-12);
            assertEquals(4.0, r.downsample(2), 1e-12);
            // 200x150 at (100, 70) crosses 2 x 2 file tiles of 128 px.
            assertArrayEquals(sample.crop(new Rectangle(100, 70, 200, 150)).toBytes(), r.read(0, 100, 70, 200, 150));
            assertArrayEquals(sample.toBytes(), r.read(0, 0, 0, 512, 512));
        }
    }

    @Test
    void aRegionDecodesOnlyTheTilesItTouchesOnce() throws IOException {
        Path tif = VipsSlides.pyramid(VipsSlides.sample(), dir.resolve("jpeg.tif"), "jpeg", 128);
        try (TiffSlideReader r = TiffSlideReader.open(tif)) {
            r.read(0, 100, 70, 100, 150); // columns 0-1, rows 0-1 of 128 px tiles
            assertEquals(4, r.tilesDecoded());
            r.read(0, 130, 80, 60, 100);
            assertEquals(4, r.tilesDecoded(), "a region inside the same tiles comes from the cache");
            r.read(1, 0, 0, 10, 10);
            assertEquals(5, r.tilesDecoded());
        }
    }

    @Test
    void aRegionOfAHugeSlideDecodesOnlyItsOwnTiles() throws IOException {
        try (TiffSlideReader r = TiffSlideReader.open(VipsSlides.huge())) {
            assertEquals(40_000, r.levelWidth(0));
            byte[] region = r.read(0, 19_000, 19_000, 2048, 2048);
            // 2048 px from 19000 spans 256 px file tiles 74 to 82: 9 x 9 of the 157 x 157 at level 0.
            assertEquals(81, r.tilesDecoded());
            assertEquals(255, region[0] & 0xff, "white around the sample");
        }
    }

    @Test
    void jpeg2000TilesNeedOpenSlideAndTheErrorSaysHowToGetIt() {
        Path tif = dir.resolve("j2k.tif");
        VipsSlides.run(java.util.List.of("vips", "tiffsave", VipsSlides.sample().toString(), tif.toString(), "--tile", "--compression", "jp2k"));
        UnsupportedSlideException e = assertThrows(UnsupportedSlideException.class, () -> TiffSlideReader.open(tif));
        assertTrue(e.getMessage().contains("JPEG 2000") && e.getMessage().contains("apt-get install libopenslide0"), e.getMessage());
    }

    @Test
    void readsResolutionTagsInCentimetres() throws IOException {
        // vips' --xres is in pixels per millimetre and is written with ResolutionUnit centimetre: 4000/mm = 0.25 µm/px.
        Path tif = VipsSlides.pyramid(VipsSlides.sample(), dir.resolve("res.tif"), "jpeg", 128, "--xres", "4000", "--yres", "4000");
        try (TiffSlideReader r = TiffSlideReader.open(tif)) {
            assertEquals(0.25, r.micronsPerPixel().getAsDouble(), 1e-9);
        }
        Path plain = VipsSlides.pyramid(VipsSlides.sample(), dir.resolve("plain.tif"), "jpeg", 128);
        try (TiffSlideReader r = TiffSlideReader.open(plain)) {
            assertTrue(r.micronsPerPixel().isEmpty(), "vips' default resolution is not a microscope's: " + r.micronsPerPixel());
        }
    }

    @Test
    void aTruncatedFileIsRefusedNamingIt() throws IOException {
        Path tif = VipsSlides.pyramid(VipsSlides.sample(), dir.resolve("whole.tif"), "jpeg", 128);
        Path cut = dir.resolve("cut.tif");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(tif), 5000));
        IOException e = assertThrows(IOException.class, () -> {
            try (TiffSlideReader r = TiffSlideReader.open(cut)) {
                r.read(0, 0, 0, 512, 512);
            }
        });
        assertTrue(e.getMessage().contains("cut.tif"), e.getMessage());
    }

    @Test
    void aCorruptTileIsReportedWithItsPosition() throws IOException {
        Path tif = VipsSlides.pyramid(VipsSlides.sample(), dir.resolve("bad.tif"), "jpeg", 128);
        org.cellpilot.testing.TiffFiles.corruptTile(tif, 0, 5);
        try (TiffSlideReader r = TiffSlideReader.open(tif)) {
            r.read(0, 0, 0, 128, 128);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> r.read(0, 128, 128, 128, 128));
            assertTrue(e.getMessage().contains("tile (1, 1)") && e.getMessage().contains("bad.tif"), e.getMessage());
            r.read(0, 256, 256, 128, 128);
        }
    }
}
