package org.csphub.hub;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hub} command line: one entry point for every stage of the hub. */
@Command(name = "hub", mixinStandardHelpOptions = true, versionProvider = HubVersion.class,
        description = "csp-hub: typed, validated partner feeds on Kafka, turned into ward and district metrics "
                + "for a Community Safety Partnership.",
        subcommands = {DemoCommand.class, StackCommand.class, ServeCommand.class, AclCommand.class, BenchCommand.class, PublishCommand.class, WatchCommand.class, GenerateCommand.class,
                ReportCommand.class, SinkCommand.class,
                StatusCommand.class, StreamsCommand.class, FeedsCommand.class, TopicsCommand.class, CommandLine.HelpCommand.class})
public final class HubCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with its output going to the given writers (for tests). */
    public static CommandLine commandLine(final PrintWriter out, final PrintWriter err) {
        final CommandLine commandLine = new CommandLine(new HubCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            line.getErr().println(line.getColorScheme().errorText("error: " + exception.getMessage()));
            return 2;
        });
        return commandLine;
    }

    public static void main(final String[] args) {
        final int code = commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true))
                .execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
