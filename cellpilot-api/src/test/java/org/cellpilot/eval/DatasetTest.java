package org.cellpilot.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad evaluation folders fail with a message that names the file, before any model runs. */
class DatasetTest {
    @TempDir
    Path dir;

    private void image(String name, int w, int h) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), "png", dir.resolve("images").resolve(name + ".png").toFile());
    }

    private Path labels(String name, int w, int h, int value) throws IOException {
        Files.createDirectories(dir.resolve("labels"));
        BufferedImage l = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        l.getRaster().setSample(1, 1, 0, value);
        Path f = dir.resolve("labels").resolve(name + ".png");
        ImageIO.write(l, "png", f.toFile());
        return f;
    }

    private static String message(Exception e) {
        return e.getMessage();
    }

    @Test
    void readsSixteenBitLabels() throws IOException {
        image("a", 8, 6);
        labels("a", 8, 6, 60000);
        Dataset d = Dataset.open(dir);
        assertArrayEquals(new int[] {60000}, d.labels("a", d.image("a")).ids());
    }

    @Test
    void aMissingLabelFileIsNamed() throws IOException {
        image("a", 8, 6);
        labels("b", 8, 6, 3);
        image("b", 8, 6);
        image("c", 8, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.open(dir));
        assertTrue(message(e).contains("a.png") && message(e).contains("no label file"), message(e));
    }

    @Test
    void aLabelImageOfAnotherSizeIsRefused() throws IOException {
        image("a", 8, 6);
        labels("a", 6, 8, 3);
        Dataset d = Dataset.open(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.labels("a", d.image("a")));
        assertTrue(message(e).contains("6 x 8") && message(e).contains("8 x 6"), message(e));
    }

    @Test
    void anEmptyLabelMapIsRefused() throws IOException {
        image("a", 8, 6);
        labels("a", 8, 6, 0);
        Dataset d = Dataset.open(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.labels("a", d.image("a")));
        assertTrue(message(e).contains("no instances"), message(e));
    }

    @Test
    void aPromptsFileNamingAnAbsentInstanceOrAnInvalidBoxIsRefused() throws IOException {
        image("a", 8, 6);
        labels("a", 8, 6, 3);
        Dataset d = Dataset.open(dir);
        for (String entry : new String[] {"{\"instance\": 4, \"point\": [1, 1], \"box\": [0, 0, 3, 3]}",
                "{\"instance\": 3, \"point\": [1, 1], \"box\": [2, 0, 2, 3]}", "{\"instance\": 3, \"point\": [8, 1], \"box\": [0, 0, 3, 3]}"}) {
            Path prompts = Files.writeString(dir.resolve("prompts.json"), "{\"a\": [" + entry + "]}");
            InteractiveEvaluation.Settings s = new InteractiveEvaluation.Settings(java.util.EnumSet.allOf(Start.class), 1,
                    ClickRule.DISTANCE, false, 1, 0, prompts);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InteractiveEvaluation.targets(d, s));
            assertTrue(message(e).contains("image a, instance"), message(e));
        }
    }

    @Test
    void colourAndFractionalLabelImagesAreRefused() throws IOException {
        Path rgb = dir.resolve("rgb.png");
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR), "png", rgb.toFile());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelMap.read(rgb));
        assertTrue(message(e).contains("3 channels"), message(e));

        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), new int[] {32}, false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        WritableRaster raster = model.createCompatibleWritableRaster(4, 4);
        raster.setSample(2, 1, 0, 2.5f);
        Path tif = dir.resolve("float.tif");
        ImageIO.write(new BufferedImage(model, raster, false, null), "tiff", tif.toFile());
        e = assertThrows(IllegalArgumentException.class, () -> LabelMap.read(tif));
        assertTrue(message(e).contains("not an integer label map") && message(e).contains("(2, 1) is 2.5"), message(e));
    }
}
