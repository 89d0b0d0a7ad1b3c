package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.geography.Geography;
import org.csphub.hub.HubCommand;
import org.csphub.hub.server.HubHttpServer;
import org.csphub.hub.server.KafkaReadiness;
import org.csphub.hub.server.RegistryReadiness;
import org.csphub.producers.feeds.FeedAdapters;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSettings;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.streams.MetricsApplication;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.TopicProvisioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's view against a real broker and registry of its own (the last test stops the broker):
 * intake counts and freshness on {@code /metrics}, {@code hub status --json}, the topologies' lag, and
 * {@code /ready} across a broker outage. The real metrics application runs the topologies, with its
 * state in a temporary folder; the test stops it and starts it again to watch the lag rise and fall.
 */
@Tag("integration")
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {

    /** When the intake received the rows (the rows' {@code received_at}); the feeds' clock starts here. */
    private static final Instant RECEIVED = Instant.parse("2026-03-02T09:00:00Z");
    private static final String POLICE_EXPORT = """
            incident_id,reported_at,category,ward
            ASB-1,2026-02-20T10:00:00,NUISANCE,Abbey
            ASB-2,2026-02-21T11:30:00,PERSONAL,Arbury
            ASB-3,2026-02-22,ENVIRONMENTAL,Abbey
            ASB-4,2026-02-27T22:15:00,NUISANCE,Arbury
            ASB-5,2026-02-25T08:00:00,NUISANCE,Abbey
            ASB-6,2026-02-26T08:00:00,LOUD_MUSIC,Abbey
            ASB-7,2026-02-26T09:00:00,NUISANCE,Atlantis
            """;
    /** Another feed's export, so that the status tells each feed's dead letters and reasons apart. */
    private static final String FIRE_EXPORT = """
            incident_id,occurred_at,incident_type,cause,ward
            F-1,2026-02-20T10:00:00,PRIMARY_FIRE,DELIBERATE,Abbey
            F-2,2026-02-21T11:30:00,PRIMARY_FIRE,ARSON,Abbey
            F-3,2026-02-22T11:30:00,BONFIRE,ACCIDENTAL,Abbey
            F-4,2026-02-23T11:30:00,CHIMNEY_FIRE,NOT_KNOWN,Arbury
            """;
    private static final String LATER_EXPORT = """
            incident_id,reported_at,category,ward
            ASB-8,2026-02-28T10:00:00,NUISANCE,Abbey
            ASB-9,2026-02-28T11:00:00,PERSONAL,Abbey
            ASB-10,2026-02-28T12:00:00,NUISANCE,Arbury
            """;

    private static EmbeddedStack stack;
    private static HubConfig config;
    private static PrometheusMeterRegistry registry;
    private static SettableClock clock;
    private static OperationsMonitors monitors;
    private static FeedFreshnessMonitor freshness;
    private static BacklogMonitor backlog;
    private static KafkaReadiness kafkaReadiness;
    private static HubHttpServer server;
    private static IntakeMetrics intakeMetrics;
    private static MetricsApplication topologies;
    private static Path statusConfig;

    /** The data folder of the test's hub: the topologies' state stores live in its {@code streams} folder. */
    @TempDir
    static Path dataDir;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startStackAndServer() throws Exception {
        stack = EmbeddedStack.start(EmbeddedStack.Options.ephemeral(EmbeddedStackExtension.freshDataDir()));
        config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
                HubConfig.TOPIC_PARTITIONS, "2",
                HubConfig.IDVA_CLIENT_KEY, "operations-test-key",
                HubConfig.FRESHNESS_POLICE_ASB, "PT6H",
                HubConfig.DATA_DIR, dataDir.toString(),
                // the test refreshes when it needs to
                HubConfig.OPERATIONS_MONITOR_INTERVAL, "PT1H"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            new TopicProvisioner(admin, TopicProvisioner.Layout.of(2, (short) 1)).ensureAll();
        }
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        clock = new SettableClock(RECEIVED.plus(Duration.ofMinutes(30)));
        intakeMetrics = new IntakeMetrics(registry);
        monitors = OperationsMonitors.start(config, registry, clock);
        freshness = monitors.freshness();
        backlog = monitors.backlog();
        final Map<String, Object> clientProperties = new HashMap<>(config.kafkaClientProperties());
        clientProperties.put("bootstrap.servers", config.bootstrapServers());
        kafkaReadiness = new KafkaReadiness(clientProperties);
        server = HubHttpServer.start("127.0.0.1", 0, registry, List.of()).withReadiness(kafkaReadiness)
                .withReadiness(new RegistryReadiness(config.schemaRegistryUrl()));
        // hub status also reads the PostgreSQL sink's offsets: a schema of its own, where no sink has run
        statusConfig = Files.writeString(dataDir.resolve("status.properties"),
                HubConfig.POSTGRES_SCHEMA + "=operations_it_" + Long.toString(System.nanoTime(), 36) + "\n");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        stopTopologies();
        if (server != null) {
            server.close();
            kafkaReadiness.close();
            monitors.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static IntakeSummary ingest(final String source, final String csv) {
        return ingest("police-asb", source, csv);
    }

    private static IntakeSummary ingest(final String feed, final String source, final String csv) {
        final byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        try (FeedPublisher publisher = FeedPublisher.connect(config, "operations-it")) {
            final IntakeService intake = new IntakeService(FeedAdapters.of(config, Geography.defaults()), publisher,
                    Clock.fixed(RECEIVED, ZoneOffset.UTC), IntakeSettings.from(config));
            final IntakeSummary summary = intake.ingest(FeedCatalog.shipped().feed(feed), source,
                    new ByteArrayInputStream(bytes), ExportFormat.CSV);
            intakeMetrics.record(FeedCatalog.shipped().feed(feed), summary, bytes.length);
            return summary;
        }
    }

    private static Map<String, Double> scrape() throws Exception {
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        final Map<String, Double> samples = new HashMap<>();
        for (final String line : response.body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                final int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    private static double policeLag(final Map<String, Double> samples) {
        return samples.entrySet().stream().filter(sample -> sample.getKey().startsWith("csphub_consumer_lag{")
                && sample.getKey().contains("topic=\"csp.raw.police-asb\"")).mapToDouble(Map.Entry::getValue).sum();
    }

    private static int ready() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private record Outcome(int exitCode, String out) {
    }

    private static Outcome status(final String... more) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final String[] args = new String[] {"status", "--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry", stack.schemaRegistryUrl(), "--config", statusConfig.toString()};
        final String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        final int code = HubCommand.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(all);
        return new Outcome(code, out.toString());
    }

    /** Starts the metrics application as {@code hub streams} does, on the test's cluster and data folder. */
    private static void startTopologies() {
        final Properties properties = MetricsApplication.properties(config, "127.0.0.1:1");
        // a stopped instance stays a member of the group until its session ends; a short session keeps the
        // restart's rebalance from waiting the default 45 s for it
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000);
        topologies = new MetricsApplication(MetricsApplication.topology(config, properties), properties);
        topologies.start();
    }

    /** Closes the metrics application, as Ctrl-C on {@code hub streams} does. */
    private static void stopTopologies() {
        if (topologies != null) {
            topologies.close();
            topologies = null;
        }
    }

    /**
     * Waits until the topologies' group has committed up to the end of every raw topic partition: its
     * lag is then 0 (before its first commit a partition's lag is all of its records, so 0 means done).
     */
    private static void awaitTopologiesCaughtUp() throws Exception {
        await("the topologies commit up to the end of the raw topics")
                .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).pollInSameThread().until(() -> {
            if (!backlog.refresh()) {
                return false;
            }
            final ConsumerLag lag = backlog.lag(MetricsApplication.APPLICATION_ID);
            return !lag.partitions().isEmpty() && lag.total() == 0 && lag.partitions().stream()
                    .filter(partition -> partition.end() > 0).allMatch(partition -> partition.committed() >= 0);
        });
    }

    @Test
    @Order(1)
    void shouldShowTheIntakeCountsFreshnessAndStatus() throws Exception {
        final IntakeSummary summary = ingest("police-2026-02.csv", POLICE_EXPORT);
        assertThat(summary.accepted()).isEqualTo(5);
        assertThat(summary.rejected()).isEqualTo(2);
        assertThat(ingest("fire-incidents", "fire-2026-02.csv", FIRE_EXPORT).rejected()).isEqualTo(2);
        startTopologies();
        awaitTopologiesCaughtUp();
        assertThat(freshness.refresh()).isTrue();

        Map<String, Double> samples = scrape();
        assertThat(samples).containsEntry("csphub_feed_rows_accepted_total{feed=\"police-asb\"}", 5.0)
                .containsEntry("csphub_feed_rows_rejected_total{feed=\"police-asb\"}", 2.0)
                .containsEntry("csphub_feed_bytes_received_total{feed=\"police-asb\"}",
                        (double) POLICE_EXPORT.getBytes(StandardCharsets.UTF_8).length)
                .containsEntry("csphub_feed_last_received_timestamp_seconds{feed=\"police-asb\"}",
                        (double) RECEIVED.getEpochSecond())
                .containsEntry("csphub_feed_newest_event_timestamp_seconds{feed=\"police-asb\"}",
                        (double) Instant.parse("2026-02-27T22:15:00Z").getEpochSecond())
                .containsEntry("csphub_feed_stale{feed=\"police-asb\"}", 0.0)
                .containsEntry("csphub_feed_dead_letters{feed=\"police-asb\"}", 2.0);
        assertThat(policeLag(samples)).isZero();

        clock.advance(Duration.ofMinutes(330));
        assertThat(scrape()).as("six hours after the last row: at the expectation, not past it")
                .containsEntry("csphub_feed_stale{feed=\"police-asb\"}", 0.0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(scrape()).containsEntry("csphub_feed_stale{feed=\"police-asb\"}", 1.0);

        final Outcome status = status("--json");
        final JsonNode json = new ObjectMapper().readTree(status.out());
        final JsonNode police = json.path("feeds").path("police-asb");
        assertThat(police.path("acceptedThisMonth").asLong()).isEqualTo(5);
        assertThat(police.path("rejectedThisMonth").asLong()).isEqualTo(2);
        assertThat(police.path("deadLetters").asLong()).isEqualTo(2);
        assertThat(police.path("lastReceived").asText()).isEqualTo(RECEIVED.toString());
        assertThat(police.path("stale").asBoolean()).as("received months before the real clock's today").isTrue();
        assertThat(police.path("topReasons").size()).isEqualTo(2);
        assertThat(police.path("topReasons").path("NOT_IN_ENUM").asLong()).isEqualTo(1);
        assertThat(police.path("topReasons").path("UNKNOWN_WARD").asLong()).isEqualTo(1);
        final JsonNode fire = json.path("feeds").path("fire-incidents");
        assertThat(fire.path("acceptedThisMonth").asLong()).isEqualTo(2);
        assertThat(fire.path("rejectedThisMonth").asLong()).isEqualTo(2);
        assertThat(fire.path("deadLetters").asLong()).isEqualTo(2);
        assertThat(fire.path("topReasons").size()).as("fire's reasons alone, not police's").isEqualTo(1);
        assertThat(fire.path("topReasons").path("NOT_IN_ENUM").asLong()).isEqualTo(2);
        assertThat(json.path("topologies").get(0).path("lag").asLong()).isZero();
        assertThat(json.path("sinks").get(0).path("sink").asText()).isEqualTo("postgres");
        assertThat(json.path("sinks").get(0).path("lag").isNull()).as("no sink has run against the schema").isTrue();
        assertThat(json.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(status.exitCode()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void shouldShowLagRiseWhileTheTopologyIsStoppedAndReturnToZeroAfterItResumes() throws Exception {
        assertThat(topologies).as("the topologies the first test started").isNotNull();
        stopTopologies();

        ingest("police-2026-02-late.csv", LATER_EXPORT);
        assertThat(backlog.refresh()).isTrue();
        assertThat(policeLag(scrape())).isEqualTo(3.0);
        final Outcome behind = status("--json");
        assertThat(new ObjectMapper().readTree(behind.out()).path("topologies").get(0).path("lag").asLong())
                .isEqualTo(3);

        startTopologies();
        awaitTopologiesCaughtUp();

        assertThat(policeLag(scrape())).isZero();
        assertThat(new ObjectMapper().readTree(status("--json").out()).path("topologies").get(0).path("lag")
                .asLong()).isZero();
        // the broker outage of the next test is the monitors' and readiness checks', not the topologies'
        stopTopologies();
    }

    @Test
    @Order(3)
    void shouldTurnNotReadyWhileTheBrokerIsDownAndReadyAfterItRestarts() throws Exception {
        assertThat(ready()).isEqualTo(200);

        stack.kafka().stop();
        await("/ready answers 503")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).pollInSameThread().until(() -> {
            try {
                return ready() == 503;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(status().exitCode()).as("hub status while the broker is down").isEqualTo(2);

        stack.kafka().restart(Duration.ofSeconds(90));
        await("/ready answers 200 again")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).pollInSameThread().until(() -> {
            try {
                return ready() == 200;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
