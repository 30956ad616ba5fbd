package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cellpilot.testing.VipsSlides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlideTest {
    @TempDir
    Path dir;

    @Test
    void aPngIsAOneLevelSlide() throws IOException {
        RgbImage sample = RgbImage.read(VipsSlides.sample());
        try (Slide s = Slide.open(VipsSlides.sample())) {
            assertEquals("image", s.readerName());
            assertEquals(1, s.levelCount());
            assertEquals(512, s.width());
            assertTrue(s.micronsPerPixel().isEmpty());
            assertArrayEquals(sample.crop(new Rectangle(5, 6, 70, 80)).toBytes(), s.readRegion(0, 5, 6, 70, 80).toBytes());
        }
    }

    @Test
    void refusesRegionsOutsideTheSlideAndMissingLevels() throws IOException {
        try (Slide s = Slide.open(VipsSlides.sample())) {
            assertThrows(IllegalArgumentException.class, () -> s.readRegion(0, 500, 0, 20, 20));
            assertThrows(IllegalArgumentException.class, () -> s.readRegion(0, -1, 0, 20, 20));
            assertThrows(IllegalArgumentException.class, () -> s.readRegion(0, 0, 0, 0, 20));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.readRegion(1, 0, 0, 20, 20));
            assertTrue(e.getMessage().contains("level 1"), e.getMessage());
        }
    }

    @Test
    void refusesFilesThatAreNotImages() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.svs"), "not a slide at all");
        IOException e = assertThrows(IOException.class, () -> Slide.open(junk));
        assertTrue(e.getMessage().contains("junk.svs"), e.getMessage());
        assertThrows(IOException.class, () -> Slide.open(dir.resolve("absent.tif")));
    }

    @Test
    void levelsAndThumbnailOfAPyramid() throws IOException {
        VipsSlides.assumeVips();
        Path tif = VipsSlides.pyramid(VipsSlides.sample(), dir.resolve("p.tif"), "deflate", 128);
        try (Slide s = Slide.open(tif)) {
            assertEquals("tiff", s.readerName());
            assertEquals(1, s.bestLevel(3.0));
            assertEquals(2, s.bestLevel(4.0));
            assertEquals(0, s.bestLevel(1.5));
            RgbImage t = s.thumbnail(100);
            assertEquals(100, t.width());
            assertEquals(100, t.height());
            // Level 1 is read at the level's own pixel for pixel, with its top-left given in level-0 pixels.
            RgbImage level1 = s.readRegion(1, 200, 100, 50, 40);
            assertEquals(50, level1.width());
            assertEquals(s.readRegion(1, 0, 0, 256, 256).crop(new Rectangle(100, 50, 50, 40)).get(10, 10, 1), level1.get(10, 10, 1));
            assertEquals(0.95, s.tissueMask().fraction(), 0.04, "the sample is tissue but for a few white lumens");
        }
    }
}
