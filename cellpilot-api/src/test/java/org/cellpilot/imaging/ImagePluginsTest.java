package org.cellpilot.imaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImagePluginsTest {
    @Test
    void plainImageIoCallsGetTheJdksTiffPluginFirst() {
        ImagePlugins.preferJdkTiff();
        String reader = ImageIO.getImageReadersByFormatName("tiff").next().getClass().getName();
        String writer = ImageIO.getImageWritersByFormatName("tiff").next().getClass().getName();
        assertTrue(reader.startsWith("com.sun.imageio.plugins.tiff."), reader);
        assertTrue(writer.startsWith("com.sun.imageio.plugins.tiff."), writer);
    }
}
