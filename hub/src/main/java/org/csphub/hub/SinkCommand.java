package org.csphub.hub;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.csphub.access.Audience;
import org.csphub.config.HubConfig;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.geography.Geography;
import org.csphub.hub.operations.SinkActivity;
import org.csphub.hub.operations.SinkLagMonitor;
import org.csphub.hub.server.ProcessEndpoints;
import org.csphub.hub.server.ReadinessCheck;
import org.csphub.sinks.extract.ExtractSink;
import org.csphub.sinks.extract.ExtractWriter;
import org.csphub.sinks.postgres.PostgresMetricSink;
import org.csphub.sinks.postgres.PostgresSettings;
import org.csphub.topics.FeedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub sink postgres} and {@code hub sink extract}: the metric topics' consumers, until Ctrl-C. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Runs one of the sinks of the metric topics until Ctrl-C.",
        subcommands = {SinkCommand.Postgres.class, SinkCommand.Extract.class})
final class SinkCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "postgres", mixinStandardHelpOptions = true,
            description = "Upserts every metric into PostgreSQL (postgres.url, postgres.user, postgres.password, "
                    + "postgres.schema): table area_metric (internal, unsuppressed) and published_area_metric "
                    + "(disclosure control applied), with the topic offsets in the same transactions.")
    static final class Postgres implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Option(names = "--port", paramLabel = "PORT",
                description = "The port of /health, /ready and /metrics (default: http.port, 8080).")
        Integer port;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final HubConfig config = connection.config();
            final Map<String, Object> consumer = new LinkedHashMap<>(config.kafkaClientProperties());
            consumer.put("bootstrap.servers", config.bootstrapServers());
            final PostgresSettings database = PostgresSettings.of(config);
            final PostgresMetricSink.Options options = new PostgresMetricSink.Options(
                    FeedCatalog.of(config).metricTopics(), consumer,
                    config.serdeProperties());
            final PostgresMetricSink sink = new PostgresMetricSink(database, options);
            try (ProcessEndpoints endpoints = ProcessEndpoints.start(config,
                    port != null ? port : config.getInt(HubConfig.HTTP_PORT), List.of())) {
                SinkActivity.bind(endpoints.metrics(), "postgres", sink::appliedRecords, Clock.systemUTC());
                endpoints.monitors().watch(SinkLagMonitor.connect(config, "postgres", options.allTopics(),
                        sink::positions).bindTo(endpoints.metrics()));
                endpoints.withReadiness(new SinkReadiness(sink));
                spec.commandLine().getOut().printf("Writing %s to PostgreSQL %s, schema %s; health and metrics on port %d."
                        + " Press Ctrl-C to stop.%n", options.allTopics(), database.url(), database.schema(), endpoints.port());
                spec.commandLine().getOut().flush();
                return runUntilStopped(sink, sink::close);
            }
        }
    }

    @Command(name = "extract", mixinStandardHelpOptions = true,
            description = "Writes the current metrics in one audience's view (public: disclosure control applied; "
                    + "partner: the full figures) as Parquet and CSV files, one per metric family and period type, "
                    + "with manifest.json naming the audience; rewrites them when the topics move on.")
    static final class Extract implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Option(names = "--out", paramLabel = "DIR",
                description = "The folder of the extracts (default: <data dir>/extracts for the public, "
                        + "<data dir>/extracts-partner for partners).")
        Path out;

        @Option(names = "--audience", paramLabel = "public|partner", defaultValue = "public",
                converter = AudienceConverter.class,
                description = "Whom the extract is for: public (the published figures, disclosure control applied) "
                        + "or partner (the full figures, for partners under the data-sharing agreement only). "
                        + "Default: ${DEFAULT-VALUE}.")
        Audience audience;

        @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "60",
                description = "How often to look for new metrics (default: ${DEFAULT-VALUE}).")
        long interval;

        @Option(names = "--once", description = "Write the extract once and stop.")
        boolean once;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final HubConfig config = connection.config();
            // a partner extract never lands where the public one is published from, unless asked to
            final Path folder = (out != null ? out : config.dataDir().resolve(audience.seesFullFigures()
                    ? "extracts-partner" : "extracts")).toAbsolutePath();
            final ExtractSink sink = new ExtractSink(ReportCommand.reader(config, FeedCatalog.of(config)),
                    new ExtractWriter(DisclosureControl.of(config, Geography.defaults()), audience), folder,
                    Duration.ofSeconds(interval));
            if (once) {
                sink.refresh();
                spec.commandLine().getOut().printf("Wrote the %s extracts to %s%n", audience, folder);
                return 0;
            }
            spec.commandLine().getOut().printf("Writing %s extracts to %s every %d s. Press Ctrl-C to stop.%n",
                    audience, folder, interval);
            spec.commandLine().getOut().flush();
            return runUntilStopped(sink, sink::close);
        }
    }

    /** Ready while the sink's database is migrated and its consumer positioned. */
    private record SinkReadiness(PostgresMetricSink sink) implements ReadinessCheck {

        @Override
        public String name() {
            return "postgres-sink";
        }

        @Override
        public Result check() {
            return sink.isReady() ? Result.ready(sink.appliedRecords() + " metric updates written")
                    : Result.notReady("connecting to the database");
        }
    }

    /** Runs {@code sink} on this thread; Ctrl-C closes it and the command returns. */
    private static int runUntilStopped(final Runnable sink, final Runnable close) {
        final Thread hook = new Thread(close, "sink-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        sink.run();
        return 0;
    }
}
