package org.cellpilot.torch;

/** A libtorch call failed. The message names the op and the shapes and dtypes it was given. */
public class TorchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TorchException(String message) {
        super(message);
    }

    public TorchException(String message, Throwable cause) {
        super(message, cause);
    }
}
