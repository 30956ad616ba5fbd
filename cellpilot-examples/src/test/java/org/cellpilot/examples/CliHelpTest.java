package org.cellpilot.examples;

import static org.cellpilot.examples.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Every command's help, reached three ways, documents every option; the README's table lists them all. */
class CliHelpTest {
    private static List<CommandSpec> commands() {
        return new CommandLine(new Main()).getSubcommands().values().stream().map(CommandLine::getCommandSpec)
                .filter(c -> !c.name().equals("help")).toList();
    }

    /** Options a user sets, as opposed to -h/--help and the inherited --verbose. */
    private static Stream<OptionSpec> ownOptions(CommandSpec c) {
        return c.options().stream().filter(o -> !o.usageHelp() && !o.inherited());
    }

    @TestFactory
    Stream<DynamicTest> helpWorksOnEveryCommand() {
        return commands().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            CliTest.Run help = cli(c.name(), "--help");
            assertEquals(0, help.status(), help.err());
            assertTrue(help.out().startsWith("Usage: cellpilot " + c.name()), help.out());
            assertEquals(help.out(), cli(c.name(), "-h").out(), "-h");
            CliTest.Run viaHelp = cli("help", c.name());
            assertEquals(0, viaHelp.status(), viaHelp.err());
            assertEquals(help.out(), viaHelp.out(), "help " + c.name());
            for (OptionSpec o : c.options()) {
                assertTrue(help.out().contains(o.longestName()), o.longestName() + " in\n" + help.out());
                assertFalse(o.description().length == 0 || o.description()[0].isBlank(), o.longestName() + " has no description");
                // Its first words: picocli wraps long descriptions.
                String firstWords = String.join(" ", List.of(o.description()[0].split(" ")).subList(0, 2));
                assertTrue(help.out().contains(firstWords), "description of " + o.longestName() + " in\n" + help.out());
            }
            c.positionalParameters().forEach(p -> assertTrue(help.out().contains(p.paramLabel()), p.paramLabel()));
        }));
    }

    @Test
    void theTopCommandHasHelpAndVersion() {
        CliTest.Run help = cli("--help");
        assertEquals(0, help.status());
        for (CommandSpec c : commands()) {
            assertTrue(help.out().contains(c.name()), c.name());
        }
        assertTrue(help.out().contains("help"), "the help command is listed");
        assertEquals(0, cli("help").status());
        assertTrue(cli("--version").out().contains("CellPilot for Java"));
    }

    @Test
    void usageErrorsPointAtTheCommandsHelp() {
        CliTest.Run r = cli("segment");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("usage: cellpilot segment --help"), r.err());
    }

    @Test
    void theReadmeTableListsEveryOption() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        for (CommandSpec c : commands()) {
            List<String> rows = readme.stream().filter(l -> l.startsWith("| `" + c.name() + "` | ")).toList();
            ownOptions(c).forEach(o -> assertTrue(rows.stream().anyMatch(l -> l.contains("| `" + o.longestName())),
                    "README row for " + c.name() + " " + o.longestName()));
            c.positionalParameters().forEach(p -> assertTrue(rows.stream().anyMatch(l -> l.contains("| `" + p.paramLabel() + "`")),
                    "README row for " + c.name() + " " + p.paramLabel()));
        }
    }
}
