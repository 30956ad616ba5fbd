package org.cellpilot.eval;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * curves.png: mean IoU against the number of corrective clicks, one line per model, one panel per start (point
 * and box side by side), like Fig. 2 of the CellPilot paper. Drawn off-screen (headless).
 */
final class Curves {
    static final int PANEL_WIDTH = 480;
    static final int PANEL_HEIGHT = 360;
    /** Model colours in order; well apart, so the plot test can find each curve by its colour. */
    static final Color[] COLOURS = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0)};

    private Curves() {
    }

    static void write(List<Summary.Line> lines, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Start> starts = new ArrayList<>();
        Set<String> models = new LinkedHashSet<>();
        for (Summary.Line l : lines) {
            if (!starts.contains(l.start())) {
                starts.add(l.start());
            }
            models.add(l.model());
        }
        starts.sort(null);
        BufferedImage out = new BufferedImage(PANEL_WIDTH * Math.max(1, starts.size()), PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < starts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(panel(lines, starts.get(i), List.copyOf(models))), i * PANEL_WIDTH, 0, null);
        }
        g.dispose();
        ImageIO.write(out, "png", file.toFile());
    }

    private static XYChart panel(List<Summary.Line> lines, Start start, List<String> models) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(start.label() + " start")
                .xAxisTitle("corrective clicks").yAxisTitle("mean IoU").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setChartBackgroundColor(Color.WHITE)
                .setPlotBackgroundColor(Color.WHITE).setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        for (int m = 0; m < models.size(); m++) {
            String model = models.get(m);
            List<Summary.Line> curve = lines.stream().filter(l -> l.model().equals(model) && l.start() == start).toList();
            if (curve.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(model, curve.stream().mapToDouble(Summary.Line::clicks).toArray(),
                    curve.stream().mapToDouble(Summary.Line::mean).toArray());
            Color c = COLOURS[m % COLOURS.length];
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }
}
