package org.cellpilot.examples.server;

/** A client's mistake, answered with {@code status} and the JSON body {@code {"detail": detail}}. */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;

    HttpError(int status, String detail) {
        super(detail);
        this.status = status;
    }

    static HttpError badRequest(String detail) {
        return new HttpError(400, detail);
    }

    static HttpError notFound(String detail) {
        return new HttpError(404, detail);
    }
}
