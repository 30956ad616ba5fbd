package org.cellpilot.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curves.png read back as an image: its size, and each model's curve drawn in each panel at its height. */
class CurvesTest {
    @TempDir
    Path dir;

    @Test
    void drawsOneCurvePerModelInEachStartPanel() throws IOException {
        List<Summary.Line> lines = new ArrayList<>();
        for (int k = 0; k <= 5; k++) {
            lines.add(new Summary.Line("low", Start.POINT, k, 10, 0.2, 0.1));
            lines.add(new Summary.Line("high", Start.POINT, k, 10, 0.8, 0.1));
            lines.add(new Summary.Line("low", Start.BOX, k, 10, 0.25, 0.1));
            lines.add(new Summary.Line("high", Start.BOX, k, 10, 0.75, 0.1));
        }
        Path png = dir.resolve("curves.png");
        Curves.write(lines, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(2 * Curves.PANEL_WIDTH, image.getWidth());
        assertEquals(Curves.PANEL_HEIGHT, image.getHeight());
        for (int panel = 0; panel < 2; panel++) {
            double[] low = meanRow(image, panel, Curves.COLOURS[0].getRGB());
            double[] high = meanRow(image, panel, Curves.COLOURS[1].getRGB());
            assertTrue(low[1] > 150 && high[1] > 150, "panel " + panel + ": too few curve pixels " + low[1] + ", " + high[1]);
            // Rows grow downwards: the lower IoU's curve lies well below the higher one.
            assertTrue(low[0] - high[0] > 0.3 * Curves.PANEL_HEIGHT, "panel " + panel + ": rows " + low[0] + " vs " + high[0]);
        }
    }

    /** {mean row, count} of the pixels of exactly {@code rgb} in panel {@code panel}. */
    private static double[] meanRow(BufferedImage image, int panel, int rgb) {
        double rows = 0;
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = panel * Curves.PANEL_WIDTH; x < (panel + 1) * Curves.PANEL_WIDTH; x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (rgb & 0xffffff)) {
                    rows += y;
                    n++;
                }
            }
        }
        return new double[] {n == 0 ? 0 : rows / n, n};
    }
}
