package org.cellpilot.examples.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.cellpilot.CellPilot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cellpilot serve}: the samapi endpoints under /sam/ for QuPath's SAM extension, the annotator page at /
 * and its JSON API under /api/, on the JDK's HTTP server. Every request for data passes the same gate first (the
 * token, when there is one); client mistakes are 4xx {@code {"detail": …}}, and no CORS headers are ever sent, so other
 * sites' pages cannot read the replies. {@link #close()} stops accepting, lets requests in flight finish, and
 * closes every session (freeing its native memory); the {@link CellPilot} stays the caller's.
 */
public final class CellPilotServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CellPilotServer.class);
    /** How long {@link #close()} waits for requests in flight. */
    private static final int DRAIN_SECONDS = 30;

    private final ServerOptions options;
    private final HttpServer http;
    private final ExecutorService threads;
    private final SamApi sam;
    private final AnnotatorApi annotator;
    private final StaticFiles page = new StaticFiles();
    private boolean closed;

    private CellPilotServer(CellPilot cp, ServerOptions options) throws IOException {
        this.options = options;
        this.sam = new SamApi(cp, options);
        this.annotator = new AnnotatorApi(cp, options);
        this.http = HttpServer.create(new InetSocketAddress(options.host, options.port), 64);
        this.threads = HandlerThreads.create();
        http.setExecutor(threads);
        http.createContext("/", this::handle);
    }

    /** Starts serving; the server listens until {@link #close()}. */
    public static CellPilotServer start(CellPilot cp, ServerOptions options) throws IOException {
        CellPilotServer s = new CellPilotServer(cp, options);
        s.http.start();
        LOG.info("listening on http://{}:{}/ ({} handler threads)", options.host, s.port(),
                HandlerThreads.virtual(s.threads) ? "virtual" : "platform");
        return s;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** How many image sessions the samapi endpoints have opened: one per distinct image, unless evicted. */
    public int samSessionsOpened() {
        return sam.sessions().opened();
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = Routes.normalise(ex.getRequestURI().getPath());
        try {
            try {
                if (path.equals("/sam") || path.startsWith("/sam/")) {
                    checkToken(ex);
                    if (!sam.handle(ex, method, path)) {
                        throw HttpError.notFound("no samapi endpoint " + path + "/");
                    }
                } else if (path.startsWith("/api/")) {
                    checkToken(ex);
                    annotator.handle(ex, method, path);
                } else {
                    // The page's own files hold no data; with a token, open it as /#token=T and its requests carry it.
                    Routes.require(method, "GET");
                    page.serve(ex, path);
                }
            } catch (HttpError e) {
                Exchanges.error(ex, e.status, e.getMessage());
            } catch (IllegalArgumentException e) {
                // The API's own checks (a prompt outside the image, a bad GeoJSON file…): the client's mistake.
                Exchanges.error(ex, 400, e.getMessage());
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", method, path, e);
                Exchanges.error(ex, 500, "internal error: " + e);
            }
        } catch (IOException e) {
            // The client went away (or sent garbage bytes): nothing to answer, nothing kept.
            LOG.debug("{} {}: {}", method, path, e.toString());
        } finally {
            ex.close();
        }
    }

    private void checkToken(HttpExchange ex) {
        if (options.token == null) {
            return;
        }
        String given = ex.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + options.token).getBytes(StandardCharsets.UTF_8);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw new HttpError(401, "this server needs 'Authorization: Bearer <token>' (serve --token)");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.stop(DRAIN_SECONDS);
        threads.shutdown();
        try {
            threads.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sam.sessions().close();
        annotator.close();
        LOG.info("stopped; every session closed");
    }
}
