package org.cellpilot.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.cellpilot.RgbImage;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.Json;
import org.cellpilot.torch.checkpoint.SafetensorsWriter;
import org.cellpilot.torch.checkpoint.StateDict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's parity contract against the golden files, and its error conventions. */
class CliTest {
    private static final Path GOLDEN = Golden.shared().resolve("golden");

    @TempDir
    Path tmp;

    record Run(int status, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    /** Runs the CLI with {@code args} and then {@code options}, and checks that it succeeded. */
    private static void succeeds(List<String> args, String... options) {
        List<String> all = new java.util.ArrayList<>(args);
        all.addAll(List.of(options));
        Run r = cli(all.toArray(new String[0]));
        assertEquals(0, r.status, r.err);
    }

    /** The golden input image of {@code set}, written into {@code dir} as the 8-bit PNG the CLI takes. */
    static Path png(Path dir, String set, String key) throws IOException {
        StateDict golden = StateDict.load(GOLDEN.resolve(set).resolve("golden.safetensors"));
        try (Tensor t = golden.get(key)) {
            return png(RgbImage.of(t.toByteArray(), (int) t.size(1), (int) t.size(0), 3), dir.resolve(set.replace('/', '-') + ".png"));
        }
    }

    private Path png(String set, String key) throws IOException {
        return png(tmp, set, key);
    }

    /** {@code image} written to {@code file} as the 8-bit PNG the CLI takes. */
    static Path png(RgbImage image, Path file) throws IOException {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                img.setRGB(x, y, image.get(x, y, 0) << 16 | image.get(x, y, 1) << 8 | image.get(x, y, 2));
            }
        }
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void predictWritesTheGoldenNamesDtypesShapesAndValues() throws IOException {
        assertPredictMatchesGolden(tmp);
    }

    /** {@code predict} (with {@code options}) on sam_tiny's cases: every golden output, its dtype, shape and values. */
    static void assertPredictMatchesGolden(Path dir, String... options) throws IOException {
        Path out = dir.resolve("out.safetensors");
        Path golden = GOLDEN.resolve("sam_tiny/golden.safetensors");
        succeeds(List.of("predict", "--weights", GOLDEN.resolve("sam_tiny/weights.pth").toString(),
                "--image", png(dir, "sam_tiny", "image").toString(), "--cases", GOLDEN.resolve("sam_tiny/cases.json").toString(),
                "--inputs", golden.toString(), "--out", out.toString(), "--decoder-heads", "2"), options);
        StateDict ours = StateDict.load(out);
        StateDict ref = StateDict.load(golden);
        int compared = 0;
        for (String key : ref.keys()) {
            boolean output = key.equals("image_embedding") || key.endsWith("/masks") || key.endsWith("/iou") || key.endsWith("/low_res_logits");
            if (!output) {
                continue;
            }
            assertTrue(ours.contains(key), "missing " + key);
            assertEquals(ref.dtype(key), ours.dtype(key), key);
            assertArrayEquals(ref.shape(key), ours.shape(key), key);
            if (!key.endsWith("/masks")) {
                try (Tensor a = ours.get(key); Tensor g = ref.get(key)) {
                    Golden.assertClose(key, a, g);
                }
            }
            compared++;
        }
        assertEquals(1 + 7 * 3, compared, "every golden output was compared");
    }

    @Test
    void cellvitWritesTheGoldenMaps() throws IOException {
        assertCellVitMatchesGolden(tmp);
    }

    /** {@code cellvit} (with {@code options}) on cellvit_tiny's tile: the four maps, against the golden ones. */
    static void assertCellVitMatchesGolden(Path dir, String... options) throws IOException {
        Path out = dir.resolve("maps.safetensors");
        Path model = GOLDEN.resolve("cellvit_tiny/model");
        succeeds(List.of("cellvit", "--weights", model.resolve("weights.pth").toString(),
                "--image", png(dir, "cellvit_tiny/model", "image").toString(), "--out", out.toString(), "--heads",
                Integer.toString(Golden.config(Golden.cases("cellvit_tiny/model"), "num_heads"))), options);
        StateDict ours = StateDict.load(out);
        StateDict ref = StateDict.load(model.resolve("golden.safetensors"));
        for (String key : List.of("tissue_types", "nuclei_binary_map", "hv_map", "nuclei_type_map")) {
            try (Tensor a = ours.get(key); Tensor g = ref.get(key)) {
                Golden.assertClose(key, a, g);
            }
        }
    }

    @Test
    void postprocessWritesTheGoldenCells() throws IOException {
        StateDict golden = StateDict.load(GOLDEN.resolve("cellvit_tiny/postproc/golden.safetensors"));
        Path maps = tmp.resolve("maps.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String k : new String[] {"nuclei_binary_map", "hv_map", "nuclei_type_map"}) {
            tensors.put(k, golden.get("sparse/" + k));
        }
        SafetensorsWriter.write(maps, tensors);
        tensors.values().forEach(Tensor::close);
        Path cells = tmp.resolve("cells.json");
        Run r = cli("postprocess", "--maps", maps.toString(), "--out", cells.toString());
        assertEquals(0, r.status, r.err);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ours = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(Files.readString(cells))).get("cells");
        @SuppressWarnings("unchecked")
        Map<String, Object> cases = (Map<String, Object>) ((Map<String, Object>) Json.parse(
                Files.readString(GOLDEN.resolve("cellvit_tiny/postproc/cases.json")))).get("cases");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> expected = (List<Map<String, Object>>) ((Map<String, Object>) cases.get("sparse")).get("cells");
        assertEquals(expected.size(), ours.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Json.write(expected.get(i).get("bbox")), Json.write(ours.get(i).get("bbox")), "bbox of cell " + i);
            assertEquals(Json.write(expected.get(i).get("contour")), Json.write(ours.get(i).get("contour")), "contour of cell " + i);
            assertEquals(((Number) expected.get(i).get("type")).intValue(), ((Number) ours.get(i).get("type")).intValue());
        }
    }

    @Test
    void errorsPrintOneLineAndExitWithOne() throws IOException {
        Path notACheckpoint = tmp.resolve("notes.pth");
        Files.writeString(notACheckpoint, "hello");
        Run r = cli("predict", "--weights", notACheckpoint.toString(), "--image", png("sam_tiny", "image").toString(),
                "--cases", GOLDEN.resolve("sam_tiny/cases.json").toString(), "--out", tmp.resolve("o.safetensors").toString());
        assertEquals(1, r.status);
        assertTrue(r.err.startsWith("error: "), r.err);
        assertTrue(r.err.contains("mask_input") || r.err.contains("not a PyTorch"), r.err);
        assertTrue(!r.err.contains("\tat "), "no stack trace without --verbose");

        Path cases = tmp.resolve("cases.json");
        Files.writeString(cases, "{\"cases\": [{\"name\": \"far\", \"point_coords\": [[1000, 5]], \"point_labels\": [1]}]}");
        Run invalid = cli("predict", "--weights", notACheckpoint.toString(), "--image", png("sam_tiny", "image").toString(),
                "--cases", cases.toString(), "--out", tmp.resolve("o.safetensors").toString());
        assertEquals(1, invalid.status);
        assertTrue(invalid.err.startsWith("error: invalid case far: invalid point 0"), invalid.err);

        Files.writeString(cases, "{\"cases\": [{\"name\": \"one\", \"point_coords\": [[10, 5]], \"point_labels\": [1]}]}");
        Run foreign = cli("predict", "--weights", notACheckpoint.toString(), "--image", png("sam_tiny", "image").toString(),
                "--cases", cases.toString(), "--out", tmp.resolve("o.safetensors").toString());
        assertEquals(1, foreign.status);
        assertTrue(foreign.err.startsWith("error: not a PyTorch or safetensors checkpoint"), foreign.err);

        Run verbose = cli("predict", "--verbose", "--weights", notACheckpoint.toString(), "--image", png("sam_tiny", "image").toString(),
                "--cases", cases.toString(), "--out", tmp.resolve("o.safetensors").toString());
        assertTrue(verbose.err.contains("\tat "), "stack trace with --verbose");
    }

    @Test
    void badUsageExitsWithTwo() {
        Run r = cli("predict", "--weights");
        assertEquals(2, r.status);
        assertTrue(r.err.startsWith("error: "), r.err);
        assertEquals(2, cli("segment", "x.png", "--format", "pdf").status);
        assertEquals(2, cli("frobnicate").status);
    }

    @Test
    void infoNamesTheLibtorch() {
        Run r = cli("info");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("libtorch   2.10"), r.out);
        // The JNA run of the suite forces its backend with -Dcellpilot.backend=jna (see the root pom).
        String forced = System.getProperty("cellpilot.backend");
        boolean jna = "jna".equals(forced) || forced == null && Runtime.version().feature() < 22;
        String backend = jna ? "JNA 5.19.1 (direct mapping)" : "FFM (java.lang.foreign)";
        String why = forced != null ? "forced by -Dcellpilot.backend=" + forced : "Java " + Runtime.version().feature() + " has";
        assertTrue(r.out.contains("backend    " + backend + " on Java " + System.getProperty("java.version") + " (" + why), r.out);
    }
}
