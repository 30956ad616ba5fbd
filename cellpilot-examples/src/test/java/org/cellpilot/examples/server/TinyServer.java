package org.cellpilot.examples.server;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.cellpilot.CellPilot;
import org.cellpilot.CellType;
import org.cellpilot.RgbImage;
import org.cellpilot.detect.Nucleus;
import org.cellpilot.detect.NucleusDetector;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;

/** A server on a free loopback port with sam_tiny's golden weights, and an HTTP client for it. */
final class TinyServer implements AutoCloseable {
    static final Path WEIGHTS = Golden.dir("sam_tiny").resolve("weights.pth");
    /** The boxes a fixed "detector" finds, so automatic mode is deterministic. */
    static final int[][] BOXES = {{10, 10, 60, 50}, {80, 20, 140, 90}, {150, 100, 290, 190}};

    final CellPilot cp;
    final CellPilotServer server;
    final HttpClient http = HttpClient.newHttpClient();

    TinyServer(ServerOptions.Builder options) throws IOException {
        this(options, fixedBoxes());
    }

    TinyServer(ServerOptions.Builder options, NucleusDetector detector) throws IOException {
        this.cp = CellPilot.builder().sam(WEIGHTS).decoderHeads(Golden.config(Golden.cases("sam_tiny"), "decoder_heads"))
                .detector(detector).build();
        this.server = CellPilotServer.start(cp, options.port(0).sam(WEIGHTS).build());
    }

    TinyServer() throws IOException {
        this(ServerOptions.builder());
    }

    private static NucleusDetector fixedBoxes() {
        return image -> {
            List<Nucleus> out = new ArrayList<>();
            for (int[] b : BOXES) {
                out.add(new Nucleus(b.clone(), CellType.EPITHELIAL, 0.8, null));
            }
            return out;
        };
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** A POST as QuPath's extension makes it (its headers, the JSON text as given). */
    HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("accept", "application/json")
                .header("Content-Type", "application/json; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static RgbImage goldenImage() {
        StateDict golden = StateDict.load(Golden.dir("sam_tiny").resolve("golden.safetensors"));
        try (Tensor t = golden.get("image")) {
            return RgbImage.of(t.toByteArray(), (int) t.size(1), (int) t.size(0), 3);
        }
    }

    /** {@code image} as the base64 PNG that QuPath's extension sends, in the given BufferedImage type. */
    static String base64Png(RgbImage image, int type) {
        BufferedImage img = new BufferedImage(image.width(), image.height(), type);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                img.setRGB(x, y, 0xff000000 | image.get(x, y, 0) << 16 | image.get(x, y, 1) << 8 | image.get(x, y, 2));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    @Override
    public void close() {
        server.close();
        cp.close();
    }
}
