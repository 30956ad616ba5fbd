package org.cellpilot.examples.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cellpilot.torch.checkpoint.Json;

/** Reading requests and writing replies; every reply has a length, so keep-alive connections stay usable. */
final class Exchanges {
    static final String JSON = "application/json";

    private Exchanges() {
    }

    /**
     * Bytes of a too-large body that are still read (and thrown away) before the 413, so that a client still
     * sending gets to read the answer rather than a reset connection. Beyond this, the connection is cut.
     */
    private static final long SWALLOW_BYTES = 16L << 20;

    /**
     * The request body, refused with 413 once it passes {@code limit} bytes: a declared length is checked before a
     * byte is kept, a chunked body as it streams.
     */
    static byte[] body(HttpExchange ex, long limit) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        InputStream in = ex.getRequestBody();
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("invalid Content-Length: " + declared);
            }
            if (length > limit) {
                throw tooLarge(ex, in, limit, length > limit + SWALLOW_BYTES ? 0 : length);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        for (int n; (n = in.read(buffer)) > 0; ) {
            if (out.size() + (long) n > limit) {
                throw tooLarge(ex, in, limit, SWALLOW_BYTES);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** A 413, after reading and dropping up to {@code swallow} more bytes; the connection closes after the reply. */
    private static HttpError tooLarge(HttpExchange ex, InputStream in, long limit, long swallow) throws IOException {
        byte[] buffer = new byte[65536];
        for (long left = swallow; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                break;
            }
            left -= n;
        }
        ex.getResponseHeaders().set("Connection", "close");
        return new HttpError(413, "request body larger than the server's limit of " + limit + " bytes (serve --max-body-mb)");
    }

    /** The body as a JSON object; anything else is a 400 that says what was wrong. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> jsonObject(HttpExchange ex, long limit) throws IOException {
        Object parsed;
        try {
            parsed = Json.parse(new String(body(ex, limit), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("malformed JSON body: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw HttpError.badRequest("the body must be a JSON object");
        }
        return (Map<String, Object>) parsed;
    }

    /** The query string's parameters (the last value of a repeated one). */
    static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = ex.getRequestURI().getRawQuery();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }

    static void json(HttpExchange ex, int status, Object value) throws IOException {
        send(ex, status, JSON, Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    static void text(HttpExchange ex, int status, String text) throws IOException {
        send(ex, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static void error(HttpExchange ex, int status, String detail) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", detail);
        json(ex, status, body);
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
