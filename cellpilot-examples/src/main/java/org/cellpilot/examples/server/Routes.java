package org.cellpilot.examples.server;

/** Small routing helpers shared by the handlers. */
final class Routes {
    private Routes() {
    }

    static void require(String method, String allowed) {
        if (!allowed.equals(method)) {
            throw new HttpError(405, "use " + allowed + " here, not " + method);
        }
    }

    /** The path without its trailing slash ("/" stays "/"), so /sam and /sam/ are one route. */
    static String normalise(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
