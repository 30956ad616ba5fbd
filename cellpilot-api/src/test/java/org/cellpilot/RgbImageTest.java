package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class RgbImageTest {
    private static void rejects(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void grayAndRgbaBecomeRgb() {
        RgbImage gray = RgbImage.of(new byte[] {10, 20}, 2, 1, 1);
        assertArrayEquals(new byte[] {10, 10, 10, 20, 20, 20}, gray.toBytes());
        RgbImage rgba = RgbImage.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 1, 4);
        assertArrayEquals(new byte[] {1, 2, 3, 5, 6, 7}, rgba.toBytes());
        RgbImage argb = RgbImage.ofArgb(new int[] {0xff102030}, 1, 1);
        assertArrayEquals(new byte[] {0x10, 0x20, 0x30}, argb.toBytes());
    }

    @Test
    void badInputsAreNamed() {
        rejects("unsupported channel count 2", () -> RgbImage.of(new byte[4], 2, 1, 2));
        rejects("empty image: 0x5", () -> RgbImage.of(new byte[0], 0, 5, 3));
        rejects("expected 6 bytes", () -> RgbImage.of(new byte[5], 2, 1, 3));
        rejects("expected 6 RGB bytes", () -> RgbImage.wrap(ByteBuffer.allocateDirect(4), 2, 1));
        rejects("16 bits per channel", () -> RgbImage.of(new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY)));
        rejects("not inside", () -> RgbImage.of(new byte[12], 2, 2, 3).crop(new Rectangle(1, 1, 2, 2)));
    }

    @Test
    void unreadableFilesAreNamed(@TempDir Path tmp) throws IOException {
        Path text = tmp.resolve("notes.png");
        Files.writeString(text, "not an image");
        IOException e = assertThrows(IOException.class, () -> RgbImage.read(text));
        assertTrue(e.getMessage().contains("not a readable image"), e.getMessage());
        assertThrows(IOException.class, () -> RgbImage.read(tmp.resolve("missing.png")));
    }

    @Test
    void directBuffersAreUsedInPlaceAndCropsCopy() {
        ByteBuffer pixels = ByteBuffer.allocateDirect(2 * 2 * 3);
        RgbImage image = RgbImage.wrap(pixels, 2, 2);
        pixels.put(9, (byte) 77);
        assertEquals(77, image.get(1, 1, 0), "no copy: the image sees the buffer's later writes");
        RgbImage crop = image.crop(new Rectangle(1, 1, 1, 1));
        assertArrayEquals(new byte[] {77, 0, 0}, crop.toBytes());
    }
}
