package org.cellpilot.examples.server;

import java.net.InetAddress;
import java.nio.file.Path;

/** How {@code cellpilot serve} was started: where it listens, what it protects, and its limits. */
public final class ServerOptions {
    final String host;
    final int port;
    final String token;
    final long maxBodyBytes;
    final long maxPixels;
    final int maxSessions;
    final long wholeImagePixels;
    final Path images;
    final Path sam;

    private ServerOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.token = b.token;
        this.maxBodyBytes = b.maxBodyBytes;
        this.maxPixels = b.maxPixels;
        this.maxSessions = b.maxSessions;
        this.wholeImagePixels = b.wholeImagePixels;
        this.images = b.images;
        this.sam = b.sam;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The options; all have defaults (127.0.0.1:8000, 64 MB bodies, 100 megapixel images, 16 sessions per kind). */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8000;
        private String token;
        private long maxBodyBytes = 64L << 20;
        private long maxPixels = 100_000_000L;
        private int maxSessions = 16;
        private long wholeImagePixels = 4096L * 4096;
        private Path images;
        private Path sam;

        private Builder() {
        }

        public Builder host(String h) {
            this.host = h;
            return this;
        }

        /** 0 picks a free port (see {@link CellPilotServer#port()}). */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /** The bearer token every request must carry; required to listen on anything but the loopback address. */
        public Builder token(String t) {
            this.token = t == null || t.isEmpty() ? null : t;
            return this;
        }

        public Builder maxBodyBytes(long n) {
            this.maxBodyBytes = positive(n, "body limit");
            return this;
        }

        public Builder maxPixels(long n) {
            this.maxPixels = positive(n, "pixel limit");
            return this;
        }

        public Builder maxSessions(int n) {
            this.maxSessions = (int) positive(n, "session limit");
            return this;
        }

        /** Annotator images up to this size get one session for the whole image; larger ones one per field of view. */
        public Builder wholeImagePixels(long n) {
            this.wholeImagePixels = positive(n, "whole-image session size");
            return this;
        }

        /** A folder whose images the annotator lists (nothing outside it is ever read). */
        public Builder images(Path dir) {
            this.images = dir;
            return this;
        }

        /** The SAM checkpoint that was loaded, for the weights list. */
        public Builder sam(Path checkpoint) {
            this.sam = checkpoint;
            return this;
        }

        private static long positive(long n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException("the " + what + " must be >= 1, got " + n);
            }
            return n;
        }

        /** Refuses a non-loopback address without a token, and an images folder that is not one. */
        public ServerOptions build() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("invalid port " + port);
            }
            if (token == null && !loopback(host)) {
                throw new IllegalArgumentException("listening on " + host + " needs --token T (every request must then carry "
                        + "'Authorization: Bearer T'); without one the server only listens on 127.0.0.1");
            }
            if (images != null && !java.nio.file.Files.isDirectory(images)) {
                throw new IllegalArgumentException("--images " + images + " is not a folder");
            }
            return new ServerOptions(this);
        }

        private static boolean loopback(String host) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("unknown host " + host, e);
            }
        }
    }
}
