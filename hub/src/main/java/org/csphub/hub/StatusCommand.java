package org.csphub.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.csphub.hub.operations.PipelineStatus;
import org.csphub.hub.operations.StatusProbe;
import org.csphub.hub.operations.StatusView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub status}: the pipeline on one screen, with an exit code for cron and monitoring checks. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows each feed's freshness, rows accepted and rejected this month, dead letters and their "
                + "most common reasons, the topologies' lag, the PostgreSQL sink's lag (from the offsets it stores "
                + "in postgres.url, postgres.schema), and the health of the broker and registry. "
                + "Exits 0 when healthy, 1 when degraded (a stale feed, topology or sink lag above "
                + "operations.lag.threshold, new dead letters within operations.dead.letter.window), 2 when the "
                + "broker or registry is down.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--json", description = "Print the status as JSON, for scripts.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** The clock the status is judged by; tests replace it. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        final PipelineStatus status = new StatusProbe(connection.config(), clock).gather();
        final PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(StatusView.tree(status)));
            out.flush();
        } else {
            StatusView.printText(status, out);
        }
        return status.verdict().level().exitCode();
    }
}
