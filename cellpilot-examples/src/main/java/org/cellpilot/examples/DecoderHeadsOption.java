package org.cellpilot.examples;

import picocli.CommandLine.Option;

/** {@code --decoder-heads}, shared by the commands that load a SAM checkpoint (its head count is not stored in it). */
final class DecoderHeadsOption {
    @Option(names = "--decoder-heads", defaultValue = "8", description = "SAM mask decoder heads (default: ${DEFAULT-VALUE}).")
    int heads;
}
