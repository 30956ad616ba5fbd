package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import javax.imageio.ImageIO;
import java.awt.image.Raster;
import org.cellpilot.testing.Golden;
import org.cellpilot.testing.OgcOutlines;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.Json;
import org.cellpilot.torch.checkpoint.StateDict;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;

/**
 * The outlines of real masks, from the golden sets, under the consumers' rules (see {@link OgcOutlines}): SAM's
 * thresholded masks, CellViT's instances and the instance labels of the metrics set.
 */
class GoldenOutlinesTest {
    @Test
    void samMasks() {
        StateDict golden = StateDict.load(Golden.dir("sam_tiny").resolve("golden.safetensors"));
        int masks = 0;
        for (String key : new TreeSet<>(golden.keys())) {
            if (!key.endsWith("/masks")) {
                continue;
            }
            try (Tensor t = golden.get(key)) {
                long[] shape = t.shape();
                int h = (int) shape[shape.length - 2];
                int w = (int) shape[shape.length - 1];
                byte[] bytes = t.toByteArray();
                for (int offset = 0; offset < bytes.length; offset += w * h) {
                    int o = offset;
                    check(w, h, i -> bytes[o + i] != 0);
                    masks++;
                }
            }
        }
        assertTrue(masks >= 10, masks + " SAM masks");
    }

    @Test
    @SuppressWarnings("unchecked")
    void cellVitInstances() {
        StateDict golden = StateDict.load(Golden.dir("cellvit_tiny/postproc").resolve("golden.safetensors"));
        Map<String, Object> cases = (Map<String, Object>) Golden.cases("cellvit_tiny/postproc").get("cases");
        int instances = 0;
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            List<Object> shape = (List<Object>) ((Map<String, Object>) c.getValue()).get("shape");
            try (Tensor t = golden.get(c.getKey() + "/instance_map")) {
                instances += checkLabels(t.toIntArray(), ((Number) shape.get(1)).intValue(), ((Number) shape.get(0)).intValue());
            }
        }
        assertTrue(instances >= 20, instances + " CellViT instances");
    }

    @Test
    void metricsSetInstanceLabels() throws IOException {
        int instances = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Golden.dir("metrics_tiny").resolve("gt"), "*.png")) {
            for (Path file : files) {
                Raster r = ImageIO.read(file.toFile()).getRaster();
                instances += checkLabels(r.getSamples(0, 0, r.getWidth(), r.getHeight(), 0, (int[]) null), r.getWidth(), r.getHeight());
            }
        }
        assertTrue(instances >= 20, instances + " labelled instances");
    }

    /** Checks every instance of a label image; returns how many there were. */
    private static int checkLabels(int[] labels, int w, int h) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (int v : labels) {
            if (v != 0) {
                ids.add(v);
            }
        }
        for (int id : ids) {
            check(w, h, i -> labels[i] == id);
        }
        return ids.size();
    }

    /** One mask of a w × h image: its GeoJSON geometry obeys the consumers' rules on the whole image. */
    private static void check(int w, int h, IntPredicate set) {
        MaskRaster r = MaskRaster.of(0, 0, w, h, (x, y) -> set.test(y * w + x));
        if (r.isEmpty()) {
            return;
        }
        Mask m = new Mask(1, r, 1, null, Double.NaN, Mask.Source.AUTOMATIC, List.of());
        @SuppressWarnings("unchecked")
        Geometry g = OgcOutlines.fromGeoJson((Map<String, Object>) Json.parse(Exports.geoJsonGeometry(m)));
        int[] b = r.bounds();
        OgcOutlines.assertOutlines(g, r::contains, r.area(), Math.max(0, b[0] - 1), Math.max(0, b[1] - 1), Math.min(w, b[2] + 1),
                Math.min(h, b[3] + 1));
        OutlinesTest.assertSameRaster(r, Outlines.fill(m.polygons()));
    }
}
