package org.cellpilot.spark;

/** An input fault (a corrupt or unreadable file), as opposed to a failure of the task that a retry could mend. */
final class UnreadableInputException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
