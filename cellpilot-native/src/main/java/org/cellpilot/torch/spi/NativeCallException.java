package org.cellpilot.torch.spi;

/** A C function of libtorch returned an error code. */
public class NativeCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NativeCallException(String function, String detail) {
        super(function + " failed" + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    }
}
