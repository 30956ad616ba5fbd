package org.cellpilot.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.cellpilot.RgbImage;
import org.cellpilot.Slide;
import org.cellpilot.torch.checkpoint.Json;

/**
 * {@code <stem>-overview.png}: a thumbnail of the slide (or region) with every cell's outline drawn, for checking a
 * run at a glance. The cells are read back from the streamed GeoJSON one line (one feature) at a time, so drawing
 * them takes no more memory than the thumbnail, and a resumed run's overview shows the cells of every attempt.
 */
final class SlideOverview {
    static final int SIDE = 2048;
    private static final Color OUTLINE = new Color(0x39ff14);

    private SlideOverview() {}

    static void write(Slide slide, Rectangle region, Path geojson, Path png) throws IOException {
        RgbImage thumb = slide.thumbnail(region, SIDE);
        double scale = (double) thumb.width() / region.width;
        BufferedImage image = new BufferedImage(thumb.width(), thumb.height(), BufferedImage.TYPE_INT_RGB);
        byte[] px = thumb.toBytes();
        for (int i = 0; i < thumb.width() * thumb.height(); i++) {
            image.setRGB(i % thumb.width(), i / thumb.width(), ((px[i * 3] & 0xff) << 16) | ((px[i * 3 + 1] & 0xff) << 8) | (px[i * 3 + 2] & 0xff));
        }
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(OUTLINE);
        g.setStroke(new BasicStroke(1f));
        try (BufferedReader in = Files.newBufferedReader(geojson, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("{\"type\":\"Feature\"")) {
                    draw(g, (Map<?, ?>) Json.parse(line.endsWith(",") ? line.substring(0, line.length() - 1) : line), region, scale);
                }
            }
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    /** The exterior ring of each polygon of a feature's geometry, in thumbnail pixels. */
    private static void draw(Graphics2D g, Map<?, ?> feature, Rectangle region, double scale) {
        Map<?, ?> geometry = (Map<?, ?>) feature.get("geometry");
        List<?> coordinates = (List<?>) geometry.get("coordinates");
        List<?> polygons = "Polygon".equals(geometry.get("type")) ? List.of(coordinates) : coordinates;
        for (Object polygon : polygons) {
            List<?> ring = (List<?>) ((List<?>) polygon).get(0);
            int[] xs = new int[ring.size()];
            int[] ys = new int[ring.size()];
            for (int i = 0; i < ring.size(); i++) {
                List<?> p = (List<?>) ring.get(i);
                xs[i] = (int) Math.round((((Number) p.get(0)).doubleValue() - region.x) * scale);
                ys[i] = (int) Math.round((((Number) p.get(1)).doubleValue() - region.y) * scale);
            }
            g.drawPolygon(xs, ys, ring.size());
        }
    }
}
