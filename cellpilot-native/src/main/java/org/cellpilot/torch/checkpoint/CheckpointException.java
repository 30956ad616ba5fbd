package org.cellpilot.torch.checkpoint;

/** A checkpoint file is malformed, or uses a feature that the readers refuse; the message says which and where. */
public class CheckpointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
