package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class HubCommandTest {

    /** Commands that never talk to an existing cluster: they need none, or start an embedded one of their own. */
    private static final Set<String> OFFLINE = Set.of("help", "generate", "bench stack", "bench intake-fuzz", "bench faults",
            "streams bench", "feeds list", "feeds schema");

    private static CommandLine hub(final StringWriter out) {
        return HubCommand.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter()));
    }

    /** Every command, as the words that call it ("acl plan"), groups included. */
    static Stream<String> commands() {
        final List<String> names = new ArrayList<>();
        collect(hub(new StringWriter()), "", names);
        return names.stream();
    }

    private static void collect(final CommandLine command, final String prefix, final List<String> names) {
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().aliases().length > 0 && !name.equals(sub.getCommandName())) {
                return;
            }
            names.add(prefix + name);
            collect(sub, prefix + name + " ", names);
        });
    }

    /** Leaf commands: those that do something themselves rather than group others. */
    static Stream<String> leafCommands() {
        return commands().filter(name -> find(name).getSubcommands().isEmpty());
    }

    private static CommandLine find(final String words) {
        CommandLine command = hub(new StringWriter());
        for (final String word : words.split(" ")) {
            command = command.getSubcommands().get(word);
        }
        return command;
    }

    @ParameterizedTest
    @MethodSource("commands")
    void shouldExplainEveryCommandWithHelp(final String words) {
        final StringWriter out = new StringWriter();
        final List<String> args = new ArrayList<>(List.of(words.split(" ")));
        if (!words.equals("help")) {
            args.add("--help");
        }

        final int code = hub(out).execute(args.toArray(String[]::new));

        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: hub" + (words.equals("help") ? "" : " " + words));
    }

    @ParameterizedTest
    @MethodSource("leafCommands")
    void shouldPointEveryCommandThatTalksToKafkaAtAnyCluster(final String words) {
        if (OFFLINE.contains(words)) {
            return;
        }
        final CommandLine command = find(words);
        assertThat(command.getCommandSpec().findOption("--bootstrap-servers")).as("%s --bootstrap-servers", words)
                .isNotNull();
        assertThat(command.getCommandSpec().findOption("--schema-registry")).as("%s --schema-registry", words)
                .isNotNull();
        assertThat(command.getCommandSpec().findOption("--config")).as("%s --config", words).isNotNull();
    }
}
