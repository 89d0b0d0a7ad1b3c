package org.csphub.hub.demo;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.csphub.access.AccessPolicy;
import org.csphub.access.Agency;
import org.csphub.config.HubConfig;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.geography.Geography;
import org.csphub.hub.operations.IntakeMetrics;
import org.csphub.hub.operations.ProcessMetrics;
import org.csphub.hub.operations.SinkActivity;
import org.csphub.hub.operations.SinkLagMonitor;
import org.csphub.hub.operations.TopologyReadiness;
import org.csphub.hub.server.ProcessEndpoints;
import org.csphub.producers.http.IntakeRoutes;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.producers.synthetic.SyntheticExports;
import org.csphub.sinks.extract.ExtractWriter;
import org.csphub.sinks.postgres.PostgresMetricSink;
import org.csphub.sinks.postgres.PostgresSettings;
import org.csphub.sinks.report.StrategicAssessmentReport;
import org.csphub.sinks.snapshot.MetricSnapshot;
import org.csphub.sinks.snapshot.MetricSnapshotReader;
import org.csphub.streams.MetricsApplication;
import org.csphub.streams.query.MetricsQueryService;
import org.csphub.streams.query.ReaderTokens;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;

/**
 * The demo, end to end on the embedded default: a real broker and registry, January 2019 to March 2021 of
 * synthetic partner exports (with bad rows and corrections) published through the adapters, the
 * metric topologies, the sinks, the Strategic Assessment, and one HTTP server for all of it.
 */
public final class Demo implements AutoCloseable {

    /** What the demo covers. */
    public record Options(YearMonth from, YearMonth to, String reportYear, long seed, double badRows,
            double corrections, Duration timeout) {

        public static Options defaults() {
            return new Options(YearMonth.of(2019, 1), YearMonth.of(2021, 3), "2020/21", 2020, 0.02, 0.01,
                    Duration.ofMinutes(10));
        }
    }

    /** Where the demo put things, for the closing lines and for tests. */
    public record Result(String bootstrapServers, String schemaRegistryUrl, int httpPort, Path report,
            Path extracts, boolean postgres, String postgresUrl, long rowsAccepted, long rowsRejected, long metrics) {
    }

    private static final String CITY = "E07000008";
    private static final Duration SINK_HEAD_START = Duration.ofSeconds(20);

    private final HubConfig baseConfig;
    private final Options options;
    private final PrintWriter out;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final long started = System.nanoTime();
    private int step;

    public Demo(final HubConfig config, final Options options, final PrintWriter out) {
        this.baseConfig = config;
        this.options = options;
        this.out = out;
    }

    public Result run() throws Exception {
        final Path dataDir = baseConfig.dataDir();
        final Path demoDir = Files.createDirectories(dataDir.resolve("demo"));
        out.printf("csp-hub demo: %s, %s to %s, in %s%n", baseConfig.get(HubConfig.CSP_NAME), options.from(),
                options.to(), dataDir);

        final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final FeedCatalog catalog = FeedCatalog.of(baseConfig);
        final IntakeMetrics intakeMetrics = new IntakeMetrics(metrics, catalog);
        // an explicit postgres.url is a server of the user's; without one, the demo brings its own
        final boolean embeddedPostgres = !baseConfig.isSet(HubConfig.POSTGRES_URL);
        begin(embeddedPostgres ? "Starting Kafka (KRaft), the schema registry and PostgreSQL"
                : "Starting Kafka (KRaft) and the schema registry");
        final EmbeddedStack.Options stackOptions = new EmbeddedStack.Options(dataDir,
                portOrFree(baseConfig.getInt(HubConfig.KAFKA_PORT)), portOrFree(baseConfig.getInt(HubConfig.REGISTRY_PORT)),
                Map.of(), Duration.ofSeconds(120));
        final EmbeddedStack stack = EmbeddedStack.start(embeddedPostgres
                ? stackOptions.withPostgres(baseConfig.getInt(HubConfig.POSTGRES_PORT)) : stackOptions);
        resources.add(stack);
        final Map<String, String> servers = new LinkedHashMap<>(Map.of(HubConfig.BOOTSTRAP_SERVERS,
                stack.bootstrapServers(), HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl()));
        stack.postgres().ifPresent(server -> servers.put(HubConfig.POSTGRES_URL, server.url()));
        final HubConfig config = baseConfig.with(servers);
        done("Kafka %s, schema registry %s%s", stack.bootstrapServers(), stack.schemaRegistryUrl(), stack.postgres()
                .map(server -> String.format(", PostgreSQL %s (up in %.1f s)", server.url(), server.startMillis() / 1e3))
                .orElse(""));

        begin("Creating topics");
        final Admin admin = Admin.create(adminProperties(config));
        resources.add(admin);
        final List<String> created = new TopicProvisioner(admin, TopicProvisioner.Layout.of(
                config.getInt(HubConfig.TOPIC_PARTITIONS), (short) config.getInt(HubConfig.TOPIC_REPLICATION)),
                catalog).ensureAll();
        done("%d created, %d in all", created.size(), TopicProvisioner.allTopics(catalog).size());

        begin("Generating synthetic exports");
        final Geography geography = Geography.defaults();
        final Path exports = demoDir.resolve("exports");
        final List<Path> files = new SyntheticExports(geography, Clock.systemUTC()).write(
                new SyntheticExports.Options(options.from(), options.to(), options.seed(), options.badRows(),
                        options.corrections()), exports);
        done("%d files in %s (seed %d, %.0f%% bad rows, %.0f%% corrections)", files.size(), exports, options.seed(),
                options.badRows() * 100, options.corrections() * 100);

        begin("Publishing the exports through the adapters");
        long accepted = 0;
        long rejected = 0;
        final HubConfig intakeConfig = config.with(Map.of(HubConfig.IDVA_CLIENT_KEY,
                config.find(HubConfig.IDVA_CLIENT_KEY).orElse(demoKey(demoDir))));
        final FeedPublisher publisher = FeedPublisher.connect(intakeConfig, "hub-demo");
        resources.add(publisher);
        final IntakeService intake = IntakeService.of(intakeConfig, catalog, publisher);
        out.println();
        // the generator writes the shipped feeds' exports; a feed of feeds.dir has none to publish here
        for (final Feed feed : catalog.feeds()) {
            for (final Path file : List.of(SyntheticExports.fileOf(exports, feed), SyntheticExports.correctionsOf(exports, feed))) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                final IntakeSummary summary;
                try (InputStream in = Files.newInputStream(file)) {
                    summary = intake.ingest(feed, file.getFileName().toString(), in, ExportFormat.ofFileName(file.toString()));
                }
                intakeMetrics.record(feed, summary, Files.size(file));
                accepted += summary.accepted();
                rejected += summary.rejected();
                out.printf("        %-32s %6d rows, %6d accepted, %4d rejected%s%n", file.getFileName(),
                        summary.rowsRead(), summary.accepted(), summary.rejected(), topReasons(summary));
            }
        }
        publisher.flush();
        done("%d rows accepted, %d rejected to the dead-letter topics", accepted, rejected);

        begin("Running the metric topologies (exactly-once)");
        final int httpPort = portOrFree(config.getInt(HubConfig.HTTP_PORT));
        final Properties streamsProperties = MetricsApplication.properties(config, "localhost:" + httpPort);
        final MetricsApplication topologies = new MetricsApplication(
                MetricsApplication.topology(config, catalog, streamsProperties), streamsProperties);
        resources.add(topologies);
        ProcessMetrics.bind(metrics, topologies.streams());
        topologies.start();

        final List<String> metricTopics = catalog.metricTopics();
        final Map<String, Object> consumer = new LinkedHashMap<>(config.kafkaClientProperties());
        final DisclosureControl disclosure = DisclosureControl.of(config, geography);
        final List<String> rawTopics = catalog.rawTopics();
        CatchUp.await("the topologies to be RUNNING",
                () -> topologies.streams().state() == KafkaStreams.State.RUNNING, Duration.ofSeconds(60));
        final CatchUpProgress progress = new CatchUpProgress(out, accepted, System::nanoTime);
        new CatchUp(admin).awaitGroup(streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG), rawTopics,
                catalog.metricAndPublishedTopics(), topologies::settled, options.timeout(), progress);
        progress.end();
        done("caught up with %d raw records", accepted);

        begin("Starting the PostgreSQL sink");
        final PostgresSettings database = PostgresSettings.of(config);
        final PostgresMetricSink sink = database.answers() ? new PostgresMetricSink(database,
                new PostgresMetricSink.Options(metricTopics, consumer, config.serdeProperties())) : null;
        if (sink != null) {
            resources.add(sink);
            SinkActivity.bind(metrics, "postgres", sink::appliedRecords, Clock.systemUTC());
            final Thread thread = new Thread(sink, "postgres-sink");
            thread.setDaemon(true);
            thread.start();
            // the sink keeps writing while the demo serves; it need not finish before the report is written
            try {
                CatchUp.await("the PostgreSQL sink", sink::caughtUp, SINK_HEAD_START);
                done("%d metric updates upserted into %s (schema %s)", sink.appliedRecords(), database.url(),
                        database.schema());
            } catch (TimeoutException e) {
                done("%d metric updates upserted so far into %s (schema %s); it goes on in the background",
                        sink.appliedRecords(), database.url(), database.schema());
            }
        } else {
            done("skipped: no database answers at %s", database.url());
        }
        final boolean postgres = sink != null;

        begin("Writing the Parquet and CSV extracts");
        final MetricSnapshot snapshot = new MetricSnapshotReader(metricTopics, consumer, config.serdeProperties(),
                Clock.systemUTC()).read(Duration.ofMinutes(2));
        final Path extracts = demoDir.resolve("extracts");
        final List<ExtractWriter.ExtractFile> written = new ExtractWriter(disclosure).write(snapshot, extracts);
        done("%d metric values, %d files in %s", snapshot.metrics().size(), written.size() * 2, extracts);

        begin("Writing the Strategic Assessment " + options.reportYear());
        final String html = new StrategicAssessmentReport(disclosure, geography, catalog.contracts())
                .render(snapshot.metrics(), new StrategicAssessmentReport.Options(options.reportYear(), CITY,
                        Instant.now()));
        final Path report = demoDir.resolve("strategic-assessment-" + options.reportYear().replace('/', '-') + ".html");
        Files.writeString(report, html, StandardCharsets.UTF_8);
        done("%s", report);

        begin("Serving the report, the query API and the intake");
        final Path tokens = demoDir.resolve("agency-tokens.txt");
        final AccessPolicy agencies = demoAgencies(tokens, catalog);
        final List<Consumer<Javalin>> routes = List.of(
                app -> app.get("/", ctx -> ctx.redirect("/report")),
                app -> app.get("/report", ctx -> ctx.html(Files.readString(report, StandardCharsets.UTF_8))),
                new MetricsQueryService(topologies.streams(), new HostInfo("localhost", httpPort), catalog,
                        ReaderTokens.of(agencies))::addRoutes,
                IntakeRoutes.fromConfig(config, intake, agencies).withListener(intakeMetrics::record)::addRoutes);
        final ProcessEndpoints server = ProcessEndpoints.start(config, httpPort, metrics, routes)
                .withReadiness(TopologyReadiness.readiness(topologies))
                .withLiveness(TopologyReadiness.liveness(topologies));
        resources.add(server);
        if (sink != null) {
            server.monitors().watch(SinkLagMonitor.connect(config, "postgres", catalog.metricAndPublishedTopics(),
                    sink::positions).bindTo(metrics));
        }
        done("http://localhost:%d", server.port());

        final String base = "http://localhost:" + server.port();
        out.printf("%nReady in %.0f s.%n", seconds());
        out.printf("  report        %s/report   (file %s)%n", base, report);
        out.printf("  query API     %s/api/v1/metrics?metric=asb.incidents&area_type=WARD&period_type=MONTH&from=2019-10&to=2020-09%n", base);
        out.printf("  intake        POST %s/api/v1/feeds/{feed} with a bearer token from %s%n", base, tokens);
        out.printf("                (the query API answers the published figures, or the full ones with the research "
                + "group's token from the same file)%n");
        out.printf("  health        %s/health  %s/ready  %s/metrics%n", base, base, base);
        out.printf("  extracts      %s%n", extracts);
        out.printf("  PostgreSQL    %s%n", postgres ? database.url() + " (schema " + database.schema()
                + ": area_metric, published_area_metric)" : "not used: nothing answers at " + database.url());
        stack.postgres().ifPresent(embedded -> out.printf("  psql          %s   (embedded, data in %s)%n",
                embedded.psqlCommand(), embedded.clusterFolder()));
        out.printf("  Kafka         %s   schema registry %s%n", stack.bootstrapServers(), stack.schemaRegistryUrl());
        out.printf("  topics        csp.metrics.* (every value), csp.published.* (disclosure control applied)%n");
        out.flush();
        return new Result(stack.bootstrapServers(), stack.schemaRegistryUrl(), server.port(), report, extracts,
                postgres, database.url(), accepted, rejected, snapshot.metrics().size());
    }

    private void begin(final String what) {
        step++;
        out.printf("[%d/9] %s ... ", step, what);
        out.flush();
    }

    private void done(final String format, final Object... args) {
        out.printf(format + " (%.0f s)%n", appendSeconds(args));
        out.flush();
    }

    private Object[] appendSeconds(final Object[] args) {
        final Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = seconds();
        return all;
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private static String topReasons(final IntakeSummary summary) {
        if (summary.reasonCounts().isEmpty()) {
            return "";
        }
        return summary.reasonCounts().entrySet().stream().limit(3)
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", ", " (", ")"));
    }

    private static Map<String, Object> adminProperties(final HubConfig config) {
        return new LinkedHashMap<>(config.kafkaClientProperties());
    }

    /** The configured port, or a free one when it is taken (a second demo, or a real broker on 9092). */
    static int portOrFree(final int port) {
        if (port == 0) {
            return freePort();
        }
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return port;
        } catch (IOException e) {
            return freePort();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port on the loopback interface", e);
        }
    }

    /** The IDVA adapter's key for client references, made once per demo folder and kept there. */
    private static String demoKey(final Path demoDir) throws IOException {
        final Path file = demoDir.resolve("idva-client.key");
        if (!Files.isRegularFile(file)) {
            final byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            writePrivate(file, HexFormat.of().formatHex(key) + "\n");
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    /**
     * One agency per owner of a feed, with its feeds and a fresh token, and the research group (a partner)
     * with a fresh query API token; the tokens go to a file only the user can read (a line per feed, then
     * the research group's), their hashes to an access file beside it, read as the hub reads its own.
     */
    private static AccessPolicy demoAgencies(final Path tokens, final FeedCatalog catalog) throws IOException {
        final Map<String, String> names = Map.of("police", "Cambridgeshire Constabulary",
                "ambulance", "East of England Ambulance Service", "idva", "IDVA service",
                "fire", "Cambridgeshire Fire and Rescue Service", "council", "Cambridge City Council",
                "ed", "Addenbrooke's Hospital emergency department");
        final Map<String, List<Feed>> byOwner = new LinkedHashMap<>();
        for (final Feed feed : catalog.feeds()) {
            byOwner.computeIfAbsent(feed.contract().owner(), owner -> new ArrayList<>()).add(feed);
        }
        final StringBuilder access = new StringBuilder("# The demo's access file; the tokens are in ")
                .append(tokens.getFileName()).append("\nagencies:\n");
        final StringBuilder text = new StringBuilder("# Demo bearer tokens for POST /api/v1/feeds/{feed}\n");
        final SecureRandom random = new SecureRandom();
        for (final Map.Entry<String, List<Feed>> entry : byOwner.entrySet()) {
            final byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            final String token = HexFormat.of().formatHex(bytes);
            // an owner the demo has no name for (a feed of feeds.dir) goes by its own
            final String name = names.getOrDefault(entry.getKey(), entry.getKey());
            final List<String> slugs = entry.getValue().stream().map(Feed::slug).toList();
            access.append("  - name: ").append(name).append('\n')
                    .append("    principal: csp-").append(entry.getKey()).append('\n')
                    .append("    feeds: [").append(String.join(", ", slugs)).append("]\n")
                    .append("    token_sha256: ").append(Agency.tokenHash(token)).append('\n');
            slugs.forEach(slug -> text.append(slug).append(' ').append(token).append("   # ").append(name)
                    .append('\n'));
        }
        access.append("topologies:\n  principal: csp-topologies\n  application_id: ")
                .append(MetricsApplication.APPLICATION_ID).append('\n');
        final byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        final String researchToken = HexFormat.of().formatHex(bytes);
        access.append("research:\n  principal: csp-research\n  group_prefix: csp-research\n  audience: partner\n")
                .append("  token_sha256: ").append(Agency.tokenHash(researchToken)).append('\n');
        text.append("# GET /api/v1/metrics with this token answers the full figures (the research group, a partner);"
                + " without a token, the published ones\n").append("research ").append(researchToken).append('\n');
        writePrivate(tokens, text.toString());
        final Path file = tokens.resolveSibling("access.yaml");
        writePrivate(file, access.toString());
        return AccessPolicy.load(file, catalog);
    }

    private static void writePrivate(final Path file, final String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own permissions apply
        }
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                out.println("while stopping: " + e.getMessage());
            }
        }
    }
}
