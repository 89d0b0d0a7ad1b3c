package org.csphub.hub;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.csphub.config.HubConfig;
import org.csphub.hub.demo.ConsoleLog;
import org.csphub.hub.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub demo}: the whole hub on the embedded default, until Ctrl-C. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts a real Kafka broker and schema registry on loopback, generates synthetic partner "
                + "exports of January 2019 to March 2021 (with some bad rows and corrections), publishes them through the "
                + "adapters, runs the metric topologies and the sinks (PostgreSQL: a real server embedded in the data "
                + "folder, unless postgres.url names one; the extracts), writes the Strategic Assessment, and serves the report, the query API and the intake "
                + "on http://localhost:8080 until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--exit", description = "Stop once everything is written instead of serving until Ctrl-C.")
    boolean exitWhenDone;

    @Option(names = "--verbose", description = "Show the log's warnings on the terminal too, Kafka's own among "
            + "them; without it they go to hub.log in the data folder, and the terminal shows errors and the hub's "
            + "own warnings only.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final HubConfig config = connection.config();
        if (!verbose) {
            out.printf("The log is in %s (--verbose shows its warnings here too)%n",
                    ConsoleLog.toFile(config.dataDir()));
        }
        try (Demo demo = new Demo(config, Demo.Options.defaults(), out)) {
            demo.run();
            if (!exitWhenDone) {
                out.println("Press Ctrl-C to stop.");
                out.flush();
                new CountDownLatch(1).await();
            }
        }
        return 0;
    }
}
