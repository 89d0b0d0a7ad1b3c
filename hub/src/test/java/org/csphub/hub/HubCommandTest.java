package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class HubCommandTest {

    /** Commands that never talk to an existing cluster. */
    private static final Set<String> OFFLINE = Set.of("help", "generate");

    static Stream<String> subcommands() {
        return HubCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("subcommands")
    void shouldExplainEveryCommandWithHelp(final String name) {
        final StringWriter out = new StringWriter();
        final CommandLine hub = HubCommand.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter()));

        final int code = name.equals("help") ? hub.execute("help") : hub.execute(name, "--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: hub" + (name.equals("help") ? "" : " " + name));
    }

    @ParameterizedTest
    @MethodSource("subcommands")
    void shouldPointEveryCommandThatTalksToKafkaAtAnyCluster(final String name) {
        final CommandLine command = HubCommand.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())).getSubcommands().get(name);
        if (OFFLINE.contains(name)) {
            return;
        }
        assertThat(command.getCommandSpec().findOption("--bootstrap-servers")).as("%s --bootstrap-servers", name)
                .isNotNull();
        assertThat(command.getCommandSpec().findOption("--schema-registry")).as("%s --schema-registry", name)
                .isNotNull();
        assertThat(command.getCommandSpec().findOption("--config")).as("%s --config", name).isNotNull();
    }
}
