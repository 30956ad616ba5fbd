package org.cellpilot.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.cellpilot.CellType;
import org.cellpilot.RgbImage;
import org.cellpilot.detect.Nucleus;
import org.cellpilot.detect.NucleusDetector;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session limits and the native memory they free, the images folder's walls, uploads and exports, graceful stop. */
class ServerBehaviourTest {
    @TempDir
    Path tmp;

    private static String prompt(String png) {
        return SamApiProtocolTest.extensionBody(png, null, new double[][] {{150, 100}}, new int[] {1}, false);
    }

    /** The golden image with one pixel changed: another image, as far as the server's hash can tell. */
    private static String variant(int k) {
        byte[] rgb = TinyServer.goldenImage().toBytes();
        rgb[k] ^= 1;
        return TinyServer.base64Png(RgbImage.of(rgb, 300, 200, 3), BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void theLeastRecentlyUsedSessionIsClosedAndItsNativeMemoryFreed() throws IOException {
        long baseline = Tensor.liveCount();
        try (TinyServer server = new TinyServer(ServerOptions.builder().maxSessions(2))) {
            long loaded = Tensor.liveCount();
            assertEquals(200, server.post("/sam/", prompt(variant(0))).statusCode());
            long perSession = Tensor.liveCount() - loaded;
            assertTrue(perSession > 0, "an encoded session holds native tensors");
            assertEquals(200, server.post("/sam/", prompt(variant(1))).statusCode());
            assertEquals(200, server.post("/sam/", prompt(variant(2))).statusCode());
            assertEquals(3, server.server.samSessionsOpened());
            assertEquals(loaded + 2 * perSession, Tensor.liveCount(), "two sessions open: the first was evicted and freed");
            assertEquals(200, server.post("/sam/", prompt(variant(0))).statusCode(), "an evicted image is simply encoded again");
            assertEquals(4, server.server.samSessionsOpened());
        }
        assertEquals(baseline, Tensor.liveCount(), "closing the server and CellPilot frees everything");
    }

    @Test
    @SuppressWarnings("unchecked")
    void onlyTheFolderListingIsServedAndNothingEscapesIt() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path outside = tmp.resolve("secret.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", outside.toFile());
        Files.copy(outside, images.resolve("a.png"));
        Files.createSymbolicLink(images.resolve("link.png"), outside);
        Files.writeString(images.resolve("notes.txt"), "not an image");
        try (TinyServer server = new TinyServer(ServerOptions.builder().images(images))) {
            Map<String, Object> listing = (Map<String, Object>) Json.parse(server.get("/api/images").body());
            assertEquals(List.of("a.png", "link.png"), listing.get("images"));
            assertEquals(200, server.get("/api/images/tile?image=file:a.png&level=0&col=0&row=0").statusCode());
            for (String id : List.of("file:../secret.png", "file:link.png", "file:a.png/../../secret.png", "file:/etc/passwd",
                    "file:%2e%2e%2fsecret.png", "file:notes.txt", "upload:nope")) {
                HttpResponse<String> r = server.get("/api/images/tile?image=" + id + "&level=0&col=0&row=0");
                assertEquals(404, r.statusCode(), id + ": " + r.body());
                assertTrue(r.body().startsWith("{\"detail\":"));
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUploadedImageIsAnnotatedAndExportedAtFullResolution() throws IOException {
        try (TinyServer server = new TinyServer()) {
            byte[] png = Base64.getDecoder().decode(TinyServer.base64Png(TinyServer.goldenImage(), BufferedImage.TYPE_INT_RGB));
            HttpResponse<String> upload = server.send(HttpRequest.newBuilder(URI.create(server.url("/api/images?name=golden.png")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build());
            assertEquals(200, upload.statusCode(), upload.body());
            Map<String, Object> image = (Map<String, Object>) Json.parse(upload.body());
            assertEquals(300L, image.get("width"));
            Map<String, Object> session = (Map<String, Object>) Json.parse(server.post("/api/sessions",
                    "{\"image\":\"" + image.get("id") + "\"}").body());
            String base = "/api/sessions/" + session.get("id");
            Map<String, Object> state = (Map<String, Object>) Json.parse(server.post(base + "/prompt", "{\"box\":[40,30,220,170]}").body());
            List<Object> masks = (List<Object>) state.get("masks");
            assertEquals(1, masks.size());
            long area = (Long) ((Map<String, Object>) masks.get(0)).get("area");
            assertEquals(400, server.post(base + "/prompt", "{\"points\":[[400,10,1]]}").statusCode(), "a point outside the image");
            assertEquals(400, server.post(base + "/remove", "{\"mask\":99}").statusCode(), "no such mask");

            HttpResponse<byte[]> labels = server.http.sendAsync(HttpRequest.newBuilder(URI.create(server.url(base + "/export?format=labels")))
                    .build(), HttpResponse.BodyHandlers.ofByteArray()).join();
            assertEquals(200, labels.statusCode());
            BufferedImage label = ImageIO.read(new ByteArrayInputStream(labels.body()));
            assertEquals(300, label.getWidth());
            assertEquals(200, label.getHeight());
            assertEquals(16, label.getColorModel().getPixelSize(), "a 16-bit label image");
            int labelled = 0;
            for (int y = 0; y < 200; y++) {
                for (int x = 0; x < 300; x++) {
                    labelled += label.getRaster().getSample(x, y, 0) == 1 ? 1 : 0;
                }
            }
            assertEquals(area, labelled);
            Map<String, Object> coco = (Map<String, Object>) Json.parse(server.get(base + "/export?format=coco").body());
            assertEquals(1, ((List<Object>) coco.get("annotations")).size());
            assertEquals(400, server.get(base + "/export?format=bmp").statusCode());

            String geojson = server.get(base + "/export?format=geojson").body();
            Map<String, Object> reopened = (Map<String, Object>) Json.parse(server.post("/api/sessions",
                    "{\"image\":\"" + image.get("id") + "\"}").body());
            String again = "/api/sessions/" + reopened.get("id");
            Map<String, Object> imported = (Map<String, Object>) Json.parse(server.post(again + "/import", geojson).body());
            List<Object> back = (List<Object>) imported.get("masks");
            assertEquals(1, back.size());
            Map<String, Object> restored = (Map<String, Object>) back.get(0);
            assertEquals(area, restored.get("area"), "the saved mask comes back with its pixels");
            assertEquals(200, server.post(again + "/prompt", "{\"mask\":" + restored.get("id") + ",\"points\":[[100,80,0]]}").statusCode(),
                    "a reopened mask is refined from its saved prompts");
            assertEquals(400, server.post(again + "/import", "{\"type\":\"FeatureCollection\"}").statusCode(), "not a saved collection");
            assertEquals(404, server.get("/api/sessions/nope").statusCode());
        }
    }

    /** An image over the whole-image size gets a session on a field of view: prompts inside it, masks in image pixels. */
    @Test
    @SuppressWarnings("unchecked")
    void aLargeImageGetsASessionPerFieldOfView() throws IOException {
        try (TinyServer server = new TinyServer(ServerOptions.builder().wholeImagePixels(100 * 100))) {
            byte[] png = Base64.getDecoder().decode(TinyServer.base64Png(TinyServer.goldenImage(), BufferedImage.TYPE_INT_RGB));
            HttpResponse<String> upload = server.send(HttpRequest.newBuilder(URI.create(server.url("/api/images?name=big.png")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build());
            String image = (String) ((Map<String, Object>) Json.parse(upload.body())).get("id");
            Map<String, Object> centred = (Map<String, Object>) Json.parse(server.post("/api/sessions", "{\"image\":\"" + image + "\"}").body());
            assertEquals(List.of(100L, 50L, 100L, 100L), centred.get("region"), "no view yet: the centre");
            Map<String, Object> view = (Map<String, Object>) Json.parse(server.post("/api/sessions",
                    "{\"image\":\"" + image + "\",\"region\":[220,120,200,200]}").body());
            assertEquals(List.of(220L, 120L, 80L, 80L), view.get("region"), "the view, clipped to the image");
            String base = "/api/sessions/" + view.get("id");
            assertEquals(400, server.post(base + "/prompt", "{\"points\":[[10,10,1]]}").statusCode(), "outside the field of view");
            Map<String, Object> state = (Map<String, Object>) Json.parse(server.post(base + "/prompt", "{\"box\":[230,130,280,180]}").body());
            Map<String, Object> mask = (Map<String, Object>) ((List<Object>) state.get("masks")).get(0);
            boolean[] pixels = FeatureRaster.rasterise(mask.get("geometry"), 300, 200);
            for (int y = 0; y < 200; y++) {
                for (int x = 0; x < 300; x++) {
                    assertTrue(!pixels[y * 300 + x] || x >= 220 && y >= 120, "mask pixel (" + x + ", " + y + ") outside the view");
                }
            }
            assertEquals(400, server.post("/api/sessions", "{\"image\":\"" + image + "\",\"region\":[400,300,10,10]}").statusCode());
        }
    }

    /** Stopping lets the request in flight finish with its answer, refuses new connections, and frees the sessions. */
    @Test
    void closeFinishesRequestsInFlightThenFreesEverything() throws Exception {
        CountDownLatch detecting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        NucleusDetector slow = image -> {
            detecting.countDown();
            try {
                assertTrue(release.await(60, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(new Nucleus(new int[] {80, 20, 140, 90}, CellType.INFLAMMATORY, 0.9, null));
        };
        long baseline = Tensor.liveCount();
        TinyServer server = new TinyServer(ServerOptions.builder(), slow);
        String png = TinyServer.base64Png(TinyServer.goldenImage(), BufferedImage.TYPE_INT_RGB);
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(
                () -> server.post("/sam/automask/", "{\"type\":\"vit_b\",\"b64img\":\"" + png + "\"}"));
        assertTrue(detecting.await(60, TimeUnit.SECONDS));
        int port = server.server.port();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (accepts(port)) {
            assertTrue(System.nanoTime() < deadline, "the server still accepts connections while stopping");
        }
        release.countDown();
        HttpResponse<String> r = inFlight.get(60, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, ((List<?>) Json.parse(r.body())).size());
        closing.get(60, TimeUnit.SECONDS);
        assertEquals(baseline, Tensor.liveCount(), "every session and the models freed");
    }

    /** Virtual threads from Java 21 on; a Java 17 host (the suite's JNA run) gets the platform pool. */
    @Test
    void handlersRunOnVirtualThreadsWhereTheJdkHasThem() throws Exception {
        boolean expected = Runtime.version().feature() >= 21;
        java.util.concurrent.ExecutorService threads = HandlerThreads.create();
        try {
            assertEquals(expected, HandlerThreads.virtual(threads));
            if (expected) {
                java.lang.reflect.Method isVirtual = Thread.class.getMethod("isVirtual");
                assertEquals(Boolean.TRUE, threads.submit(() -> isVirtual.invoke(Thread.currentThread())).get());
            }
        } finally {
            threads.shutdown();
        }
    }

    /** Level L is the image averaged over 2^L × 2^L blocks, cut into 512-pixel tiles, edge tiles cut short. */
    @Test
    void tilesAreBlockMeansAtEveryLevel() throws IOException {
        int w = 1100;
        int h = 600;
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 31 % 251);
        }
        RgbImage image = RgbImage.of(rgb, w, h, 3);
        assertEquals(3, Tiles.levels(w, h), "1100 -> 550 -> 275 fits one tile");
        BufferedImage tile = ImageIO.read(new ByteArrayInputStream(Tiles.png(image, 1, 1, 0)));
        assertEquals((w - 1024 + 1) / 2, tile.getWidth());
        assertEquals(300, tile.getHeight());
        for (int[] p : new int[][] {{0, 0}, {37, 299}, {5, 120}}) {
            int x0 = 1024 + 2 * p[0];
            int y0 = 2 * p[1];
            int rgbOut = tile.getRGB(p[0], p[1]);
            for (int c = 0; c < 3; c++) {
                int sum = image.get(x0, y0, c) + image.get(x0 + 1, y0, c) + image.get(x0, y0 + 1, c) + image.get(x0 + 1, y0 + 1, c);
                assertEquals((sum + 2) / 4, rgbOut >> (16 - 8 * c) & 0xff, "level 1 pixel " + p[0] + "," + p[1] + " channel " + c);
            }
        }
        assertEquals(275, ImageIO.read(new ByteArrayInputStream(Tiles.png(image, 2, 0, 0))).getWidth());
        assertThrows(HttpError.class, () -> Tiles.png(image, 3, 0, 0));
        assertThrows(HttpError.class, () -> Tiles.png(image, 0, 3, 0));
    }

    private static boolean accepts(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }
}
