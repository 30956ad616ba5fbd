package org.cellpilot.examples.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The annotator page: a fixed set of files from the jar, nothing else (no path is ever looked up from the URL). */
final class StaticFiles {
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/annotator.js", "annotator.js",
            "/annotator.css", "annotator.css");

    void serve(HttpExchange ex, String path) throws IOException {
        String name = FILES.get(path);
        if (name == null) {
            throw HttpError.notFound("no page " + path);
        }
        byte[] bytes;
        try (InputStream in = StaticFiles.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("web/" + name + " is missing from the jar");
            }
            bytes = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:");
        Exchanges.send(ex, 200, type, bytes);
    }
}
