package org.cellpilot.examples;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code cellpilot} command line. Errors print one {@code error:} line; {@code --verbose} adds the stack trace. */
@Command(name = "cellpilot", mixinStandardHelpOptions = true, version = "CellPilot for Java 0.1.0",
        description = "Automatic and interactive segmentation of cells and glands in histopathology images.",
        subcommands = {InfoCommand.class, SegmentCommand.class, PredictCommand.class, CellVitCommand.class, PostprocessCommand.class,
            EvaluateCommand.class, MetricsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Option(names = "--verbose", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: info, segment, predict, cellvit, postprocess or help");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns its exit status: 0 success, 1 error, 2 bad usage, 3 a slide run finished incomplete. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + e.getMessage());
            err.println("usage: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, parsed, result) -> {
            err.println("error: " + describe(e));
            if (verbose(result)) {
                e.printStackTrace(err);
            }
            return 1;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("error: " + outOfMemory());
            return 1;
        }
    }

    /** What to do when the heap ran out, anywhere (picocli passes Errors through, and slide runs rethrow theirs). */
    static String outOfMemory() {
        return "out of memory (Java heap limit " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB): give the JVM more with -Xmx "
                + "(e.g. JAVA_TOOL_OPTIONS=-Xmx8g), or segment a TIFF/SVS slide or a --region of it, which runs tile by tile in bounded memory";
    }

    /** Whether {@code --verbose} was given, to the top command or to the subcommand that it is inherited by. */
    private static boolean verbose(CommandLine.ParseResult result) {
        for (CommandLine.ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return outOfMemory(); // ImageIO, for one, wraps it in an IIOException
            }
        }
        String message = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + message;
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
