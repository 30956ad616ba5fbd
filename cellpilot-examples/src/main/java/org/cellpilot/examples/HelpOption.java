package org.cellpilot.examples;

import picocli.CommandLine.Option;

/**
 * {@code -h}/{@code --help} for a subcommand. picocli answers it before checking required options and
 * parameters, so {@code segment --help} works without an image. (The top command has picocli's standard help
 * and version options; a subcommand has no version of its own.)
 */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
