package org.csphub.hub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.state.HostInfo;
import org.csphub.access.AccessPolicy;
import org.csphub.config.HubConfig;
import org.csphub.hub.operations.ProcessMetrics;
import org.csphub.hub.operations.TopologyReadiness;
import org.csphub.hub.server.ProcessEndpoints;
import org.csphub.streams.MetricsApplication;
import org.csphub.streams.query.MetricsQueryService;
import org.csphub.streams.query.ReaderTokens;
import org.csphub.topics.FeedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub streams}: the metric topologies against any cluster, with the query API, until Ctrl-C. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Runs the metric topologies (exactly-once) against the configured Kafka cluster and schema "
                + "registry, and serves GET /api/v1/metrics from their state stores, until Ctrl-C: the published "
                + "figures without a token, each reader's audience's view with its token from the access file. "
                + "Run more instances (each with its own --port and --data-dir) to share the work.",
        subcommands = {StreamsBenchmarkCommand.class})
final class StreamsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--port", paramLabel = "PORT",
            description = "The HTTP port of the query API (default: http.port, 8080).")
    Integer port;

    @Option(names = "--advertised-host", paramLabel = "HOST", defaultValue = "localhost",
            description = "The host name other instances reach this one by, for queries they forward (default: ${DEFAULT-VALUE}).")
    String advertisedHost;

    @Option(names = "--feeds", paramLabel = "FEED", split = ",",
            description = "Run the metric families of these feeds only (default: every feed of the catalog).")
    List<String> feeds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final HubConfig config = connection.config();
        final int httpPort = port != null ? port : config.getInt(HubConfig.HTTP_PORT);
        final var out = spec.commandLine().getOut();
        final FeedCatalog catalog = feeds == null ? FeedCatalog.of(config) : FeedCatalog.of(config).only(feeds);
        TopicSetup.ensureTopologies(config, catalog);
        final ReaderTokens readers = readers(config, catalog);
        final Properties properties = MetricsApplication.properties(config, advertisedHost + ":" + httpPort);
        final CountDownLatch stopped = new CountDownLatch(1);
        try (MetricsApplication application = new MetricsApplication(MetricsApplication.topology(config, catalog, properties),
                properties);
                ProcessEndpoints server = ProcessEndpoints.start(config, httpPort,
                        List.of(new MetricsQueryService(application.streams(),
                                new HostInfo(advertisedHost, httpPort), catalog, readers)::addRoutes))) {
            server.withReadiness(TopologyReadiness.readiness(application))
                    .withLiveness(TopologyReadiness.liveness(application));
            ProcessMetrics.bind(server.metrics(), application.streams());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                application.close();
                stopped.countDown();
            }, "streams-shutdown"));
            application.start();
            out.printf("Metric topologies running against %s (registry %s), state in %s%n", config.bootstrapServers(),
                    config.schemaRegistryUrl(), properties.getProperty("state.dir"));
            out.printf("Query API: http://%s:%d/api/v1/metrics?metric=asb.incidents&area_type=WARD&period_type=MONTH%n",
                    advertisedHost, server.port());
            out.printf("Query API callers: %s%n", Files.exists(config.accessFile())
                    ? "without a token the published figures; readers' tokens from " + config.accessFile()
                    : "the published figures only (no access file at " + config.accessFile() + ", so no reader's token)");
            out.println("Press Ctrl-C to stop.");
            out.flush();
            stopped.await();
        }
        return 0;
    }

    /**
     * The query API's readers: those of the access file when there is one (refused with its line when it
     * is inconsistent); without one, no token is known and every caller gets the published figures.
     */
    static ReaderTokens readers(final HubConfig config, final FeedCatalog catalog) {
        final Path file = config.accessFile();
        return Files.exists(file) ? ReaderTokens.of(AccessPolicy.load(file, catalog)) : ReaderTokens.none();
    }
}
