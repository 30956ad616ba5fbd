package org.cellpilot.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.cellpilot.RgbImage;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every kind of bad request gets a 4xx with {@code {"detail": …}}, and the server goes on answering good ones. */
class SamApiErrorsTest {
    private static final long BODY_LIMIT = 1 << 20;
    private static final long PIXEL_LIMIT = 250 * 250;
    private static TinyServer server;
    private static String png;
    private static String goodBody;

    @BeforeAll
    static void start() throws IOException {
        server = new TinyServer(ServerOptions.builder().maxBodyBytes(BODY_LIMIT).maxPixels(PIXEL_LIMIT).maxSessions(2));
        png = TinyServer.base64Png(TinyServer.goldenImage(), BufferedImage.TYPE_INT_RGB);
        goodBody = SamApiProtocolTest.extensionBody(png, null, new double[][] {{150, 100}}, new int[] {1}, false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String body(String fields) {
        return "{\"type\":\"vit_b\",\"b64img\":\"" + png + "\"" + fields + "}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed JSON            | {\"type\":\"vit_b\",                                     | 400",
        "not an object             | [1, 2]                                                   | 400",
        "no b64img                 | {\"type\":\"vit_b\",\"point_coords\":[[1,1]],\"point_labels\":[1]} | 400",
        "bad base64                | {\"b64img\":\"***not base64***\",\"bbox\":[0,0,5,5]}      | 400",
        "not an image              | {\"b64img\":\"aGVsbG8gd29ybGQ=\",\"bbox\":[0,0,5,5]}      | 400",
        "NaN coordinate            | {\"b64img\":\"aGVsbG8=\",\"point_coords\":[[NaN,1]],\"point_labels\":[1]} | 400"})
    void malformedBodies(String kind, String json, int status) {
        assertRefused(server.post("/sam/", json), status);
        assertStillServes();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "length mismatch         | ,\"point_coords\":[[10,10],[20,20]],\"point_labels\":[1]",
        "label not 0 or 1        | ,\"point_coords\":[[10,10]],\"point_labels\":[2]",
        "infinite coordinate     | ,\"point_coords\":[[1e400,10]],\"point_labels\":[1]",
        "point outside the image | ,\"point_coords\":[[301,10]],\"point_labels\":[1]",
        "negative point          | ,\"point_coords\":[[-1,10]],\"point_labels\":[1]",
        "fractional bbox         | ,\"bbox\":[0.5,0,10,10]",
        "bbox of three numbers   | ,\"bbox\":[0,0,10]",
        "bbox outside the image  | ,\"bbox\":[400,300,500,400]",
        "inverted bbox           | ,\"bbox\":[50,50,10,10]",
        "no prompt at all        | ,\"multimask_output\":true",
        "multimask not boolean   | ,\"bbox\":[0,0,10,10],\"multimask_output\":\"yes\"",
        "points not pairs        | ,\"point_coords\":[[1,2,3]],\"point_labels\":[1]",
        "b64mask                 | ,\"bbox\":[0,0,10,10],\"b64mask\":\"AAAA\""})
    void badPrompts(String kind, String fields) {
        assertRefused(server.post("/sam/", body(fields)), 400);
        assertStillServes();
    }

    @Test
    void tooManyPixelsIsRefusedFromTheHeader() {
        RgbImage big = RgbImage.of(new byte[300 * 300 * 3], 300, 300, 3);
        assertRefused(server.post("/sam/", "{\"b64img\":\"" + TinyServer.base64Png(big, BufferedImage.TYPE_INT_RGB)
                + "\",\"bbox\":[0,0,5,5]}"), 413);
        assertStillServes();
    }

    @Test
    void aBodyOverTheLimitIsRefused() {
        String huge = "{\"b64img\":\"" + Base64.getEncoder().encodeToString(new byte[(int) BODY_LIMIT]) + "\"}";
        assertRefused(server.post("/sam/", huge), 413);
        assertStillServes();
    }

    /** A declared length over the limit is answered at once: the server never waits for a body it would not keep. */
    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /sam/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", reply);
        }
        assertStillServes();
    }

    /** A client that sends a prompt and hangs up before the answer leaves nothing behind. */
    @Test
    void aClientThatDisconnectsMidRequestCostsNothing() throws IOException {
        byte[] body = goodBody.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 4; i++) {
            try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
                socket.getOutputStream().write(("POST /sam/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(body, 0, i == 0 ? body.length / 2 : body.length);
            }
        }
        assertStillServes();
    }

    @Test
    void wrongMethodsAndUnknownPathsAre4xx() {
        assertRefused(server.get("/sam/"), 405);
        assertRefused(server.get("/sam/automask/"), 405);
        assertRefused(server.post("/sam/sam3/", "{}"), 404);
        assertRefused(server.post("/sam/upload/", "{}"), 404);
        assertRefused(server.get("/nothing-here"), 404);
        assertRefused(server.post("/sam/automask/", "{\"b64img\":\"" + png + "\",\"pred_iou_thresh\":\"high\"}"), 400);
        assertStillServes();
    }

    @Test
    void noCorsHeaders() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.url("/sam/")))
                .header("Origin", "https://elsewhere.example").POST(HttpRequest.BodyPublishers.ofString(goodBody)).build());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void aTokenIsRequiredOnEveryRequestWhenSet() throws IOException {
        try (TinyServer guarded = new TinyServer(ServerOptions.builder().token("s3cret"))) {
            assertRefused(guarded.post("/sam/", goodBody), 401);
            assertRefused(guarded.get("/sam/weights/?type=vit_b"), 401);
            assertRefused(guarded.get("/api/images"), 401);
            assertEquals(200, guarded.get("/").statusCode(), "the page itself holds no data; its requests carry the token");
            HttpResponse<String> wrong = guarded.send(HttpRequest.newBuilder(URI.create(guarded.url("/sam/version/")))
                    .header("Authorization", "Bearer nope").GET().build());
            assertRefused(wrong, 401);
            HttpResponse<String> ok = guarded.send(HttpRequest.newBuilder(URI.create(guarded.url("/sam/version/")))
                    .header("Authorization", "Bearer s3cret").GET().build());
            assertEquals(200, ok.statusCode());
        }
    }

    @Test
    void anyAddressButLoopbackNeedsAToken() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.builder().host("0.0.0.0").build());
        assertTrue(e.getMessage().contains("--token"), e.getMessage());
    }

    private static void assertRefused(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        Object detail = ((Map<?, ?>) Json.parse(r.body())).get("detail");
        assertTrue(detail instanceof String && !((String) detail).isBlank(), r.body());
    }

    private static void assertStillServes() {
        assertEquals(200, server.post("/sam/", goodBody).statusCode());
    }
}
