package org.csphub.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.csphub.config.HubConfig;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.disclosure.MetricCell;
import org.csphub.embedded.CapturedLog;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.embedded.TestPostgres;
import org.csphub.embedded.ParentWatchdog;
import org.csphub.geography.Geography;
import org.csphub.hub.HubCommand;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.producers.synthetic.SyntheticExports;
import org.csphub.serde.AvroDeserializer;
import org.csphub.sinks.postgres.PostgresMetricSink;
import org.csphub.sinks.postgres.PostgresSettings;
import org.csphub.sinks.postgres.SinkTables;
import org.csphub.streams.MetricsApplication;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL sink at the end of the real pipeline: a quarter of synthetic exports of every shipped
 * feed published through the adapters to a broker and registry of the test's own, the metric topologies
 * (exactly-once) over them, and the sink writing to the tests' PostgreSQL ({@link TestPostgres}) in a
 * schema of the run's own. The expected tables come from the metric topics themselves, read independently by a plain
 * {@code read_committed} consumer: the latest value of every key, a tombstone removing it.
 *
 * <p>The tests follow one another on the same schema, each sink taking over from the offsets the previous
 * one stored: a sink loads the quarter; {@code hub sink postgres}, in a process of its own, is killed in the
 * middle of a batch and started again; a sink rides out a restart of the PostgreSQL server in the middle of
 * a batch. The partners' corrections (re-sent rows and {@code DELETE} retractions) are published in two
 * parts, one for each of the later tests, so that each has new work arriving while its sink runs. To catch
 * a sink in the middle of a batch, a test holds a {@code SHARE} lock on {@code sink_offset}: the sink writes
 * the batch's rows and then waits, inside its open transaction, to store the batch's offsets and commit.
 *
 * <p>The whole generated quarter is published, every row of every feed: rows of every family for each
 * step, with new work arriving while a sink runs. A longer span adds more rows of the same tables (and
 * year-on-year changes) and minutes to the build, not another step of the sink.
 */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresPipelineIT {

    private static final YearMonth FROM = YearMonth.of(2019, 4);
    private static final YearMonth TO = YearMonth.of(2019, 6);
    private static final long SEED = 29;
    private static final double BAD_ROWS = 0.02;
    private static final double CORRECTIONS = 0.15;
    private static final int CORRECTION_PARTS = 2;
    private static final TestPostgres POSTGRES = TestPostgres.get();
    private static final String URL = POSTGRES.url();
    private static final String USER = POSTGRES.user();
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final Pattern HTTP_PORT = Pattern.compile("health and metrics on port (\\d+)");
    private static final Pattern WRITTEN = Pattern.compile("(\\d+) metric updates written");

    @TempDir
    static Path work;
    /** The sink processes' output, kept in the build's work folder. */
    private static Path logs;

    private static EmbeddedStack stack;
    private static HubConfig config;
    private static Admin admin;
    private static FeedPublisher publisher;
    private static IntakeService intake;
    private static MetricsApplication topologies;
    private static MetricTopicsReader topics;
    private static DisclosureControl disclosure;
    private static PostgresSettings database;
    private static Path exports;
    private static final List<Process> children = new ArrayList<>();
    private static final Map<Feed, IntakeSummary> quarterIntake = new LinkedHashMap<>();

    @BeforeAll
    static void publishTheQuarterAndRunTheTopologies() throws Exception {
        database = new PostgresSettings(URL, USER, "", "pipeline_it_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        final Path buildWork = Path.of(System.getProperty("csphub.test.work", "target/it-work")).toAbsolutePath();
        logs = Files.createTempDirectory(Files.createDirectories(buildWork), "postgres-pipeline-");
        stack = EmbeddedStack.start(EmbeddedStack.Options.ephemeral(EmbeddedStackExtension.freshDataDir()));
        config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
                HubConfig.DATA_DIR, work.toString(),
                HubConfig.IDVA_CLIENT_KEY, "postgres-pipeline-test-key"));
        admin = Admin.create(new LinkedHashMap<>(config.kafkaClientProperties()));
        new TopicProvisioner(admin, TopicProvisioner.Layout.of(config.getInt(HubConfig.TOPIC_PARTITIONS),
                (short) 1)).ensureAll();
        disclosure = DisclosureControl.of(config, Geography.defaults());

        exports = work.resolve("exports");
        new SyntheticExports(Geography.defaults(), Clock.systemUTC())
                .write(new SyntheticExports.Options(FROM, TO, SEED, BAD_ROWS, CORRECTIONS), exports);
        splitCorrections();

        publisher = FeedPublisher.connect(config, "postgres-pipeline-it");
        intake = IntakeService.of(config, publisher);
        for (final Feed feed : FeedCatalog.shipped().feeds()) {
            quarterIntake.put(feed, publish(feed, SyntheticExports.fileOf(exports, feed)));
        }

        // its state under the test's own folder (<data dir>/streams)
        final Properties properties = MetricsApplication.properties(config, "127.0.0.1:1");
        topologies = new MetricsApplication(MetricsApplication.topology(config, properties), properties);
        topologies.start();
        await("the topologies to be RUNNING").atMost(Duration.ofSeconds(90)).pollInSameThread().until(
                () -> topologies.streams().state() == KafkaStreams.State.RUNNING);
        awaitTopologies();
        topics = new MetricTopicsReader(config);
    }

    @AfterAll
    static void stopEverything() {
        children.forEach(Process::destroyForcibly);
        Stream.of(topologies, publisher, admin, topics, stack).filter(resource -> resource != null).forEach(resource -> {
            try {
                resource.close();
            } catch (Exception e) {
                // already stopped
            }
        });
        if (database != null) {
            try (Connection connection = DriverManager.getConnection(URL, USER, "");
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + database.schema() + " CASCADE");
            } catch (SQLException e) {
                // the schema stays behind; its name carries the run
            }
        }
    }

    @Test
    @Order(1)
    void shouldHoldTheLatestValueOfEveryMetricOfTheQuarter() throws Exception {
        quarterIntake.forEach((feed, summary) -> {
            assertThat(summary.accepted()).as(feed + " rows accepted").isPositive();
            assertThat(summary.rejected()).as(feed + " bad rows refused").isPositive();
        });
        final Map<TopicPartition, Long> from = storedOffsets();
        final PostgresMetricSink sink = new PostgresMetricSink(database, sinkOptions());
        final Thread thread = Thread.ofPlatform().name("postgres-sink").start(sink);
        try {
            final Map<MetricCell, AreaMetric> quarter = assertTablesEqualTheTopics();
            assertThat(quarter).as("metric values of the quarter").hasSizeGreaterThan(1_000);
            assertHateCrimesPer1000ResidentsFollowTheirCounts(quarter);
            // every record the sink read, it applied exactly once
            assertAppliedOnce("the sink", sink::appliedRecords, topics.recordsFrom(from));
        } finally {
            sink.close();
            thread.join(Duration.ofSeconds(30));
        }
    }

    @Test
    @Order(2)
    void shouldEndWithTheSameTablesAfterTheSinkProcessIsKilledInTheMiddleOfABatch() throws Exception {
        final String connections = sinkApplicationName();
        final SinkProcess first = SinkProcess.start("first");
        try {
            assertTablesEqualTheTopics();
            try (OffsetsLock lock = new OffsetsLock()) {
                final List<IntakeSummary> corrections = publishCorrections(1);
                assertThat(corrections.stream().mapToLong(IntakeSummary::deletes).sum()).as("retractions")
                        .isPositive();
                assertThat(corrections.stream().mapToLong(IntakeSummary::accepted).sum()).as("re-sent rows")
                        .isGreaterThan(corrections.stream().mapToLong(IntakeSummary::deletes).sum());
                awaitTopologies();
                awaitSinkInsideABatch(connections);
                first.process().destroyForcibly();
                assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).as("the sink process ends").isTrue();
                assertThat(first.process().exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
                lock.release();
            }
        } finally {
            first.process().destroyForcibly();
        }
        await("the killed sink's connection to end")
                .atMost(WAIT).pollInSameThread().until(() -> backends(connections, "") == 0);

        // what survived the crash is exactly what the stored offsets cover: not one row of the open batch
        final Snapshot crashed = snapshot();
        assertThat(crashed.offsets()).isNotEmpty();
        assertThat(topics.readToEnd()).as("the topics went on past what the killed sink committed")
                .isNotEqualTo(crashed.offsets());
        assertSameRows("area_metric after the crash", crashed.rows(), topics.latest(crashed.offsets()));
        assertSameRows("published_area_metric after the crash", crashed.published(),
                topics.latestPublished(crashed.offsets()));

        final SinkProcess restarted = SinkProcess.start("restarted");
        try {
            final Map<MetricCell, AreaMetric> corrected = assertTablesEqualTheTopics();
            assertThat(corrected).as("the metrics after the corrections").isNotEqualTo(crashed.rows());
            // the restarted sink applied each record after the crash point once, and none before it
            assertThat(topics.recordsFrom(crashed.offsets())).isPositive();
            assertAppliedOnce("the sink process (output in " + restarted.log() + ")", restarted::recordsWritten,
                    topics.recordsFrom(crashed.offsets()));
            restarted.process().destroy();
            assertThat(restarted.process().waitFor(60, TimeUnit.SECONDS)).as("the sink process stops on SIGTERM")
                    .isTrue();
        } finally {
            restarted.process().destroyForcibly();
        }
    }

    @Test
    @Order(3)
    void shouldSurviveARealDatabaseRestartInTheMiddleOfABatch() throws Exception {
        Assumptions.assumeTrue(POSTGRES.whyNoRestart().isEmpty(), () -> POSTGRES.whyNoRestart().orElse(""));
        final Map<TopicPartition, Long> from = storedOffsets();
        final PostgresMetricSink sink = new PostgresMetricSink(database, sinkOptions());
        final Thread thread = Thread.ofPlatform().name("postgres-sink").start(sink);
        try (CapturedLog log = new CapturedLog(PostgresMetricSink.class)) {
            assertTablesEqualTheTopics();
            assertThat(sink.reconnects()).isZero();

            final Instant started = postmasterStarted();
            final OffsetsLock lock = new OffsetsLock();
            try {
                publishCorrections(2);
                awaitTopologies();
                awaitSinkInsideABatch(sink.applicationName());
                // the restart ends every session, the lock's and the sink's open batch among them
                POSTGRES.restart(logs.resolve("postgres-restart.log"));
            } finally {
                lock.close();
            }
            await("PostgreSQL to take connections again")
                    .atMost(WAIT).pollInSameThread().until(PostgresPipelineIT::answers);
            assertThat(postmasterStarted()).as("the server's start time").isAfter(started);

            assertTablesEqualTheTopics();
            assertThat(sink.reconnects()).as("reconnections").isPositive();
            assertThat(log.lines()).anyMatch(line -> line.startsWith("WARN Writing a batch of ")
                    && line.contains("failed") && line.endsWith("reconnecting"));
            // the batch the restart broke off was not committed; read again, it was applied once
            assertAppliedOnce("the sink", sink::appliedRecords, topics.recordsFrom(from));
        } finally {
            sink.close();
            thread.join(Duration.ofSeconds(30));
        }
    }

    // ---- the pipeline -------------------------------------------------------------------------------

    private static IntakeSummary publish(final Feed feed, final Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return intake.ingest(feed, file.getFileName().toString(), in,
                    ExportFormat.ofFileName(file.getFileName().toString()));
        }
    }

    /** Deals each feed's corrections (one in five a retraction) into parts, row by row. */
    private static void splitCorrections() throws IOException {
        for (final Feed feed : FeedCatalog.shipped().feeds()) {
            final List<String> corrections = Files.readAllLines(SyntheticExports.correctionsOf(exports, feed),
                    StandardCharsets.UTF_8);
            for (int part = 1; part <= CORRECTION_PARTS; part++) {
                final List<String> rows = new ArrayList<>(List.of(corrections.get(0)));
                for (int i = part; i < corrections.size(); i += CORRECTION_PARTS) {
                    rows.add(corrections.get(i));
                }
                Files.write(correctionPart(feed, part), rows, StandardCharsets.UTF_8);
            }
        }
    }

    private static Path correctionPart(final Feed feed, final int part) {
        return exports.resolve(feed.slug() + ".corrections-" + part + ".csv");
    }

    private static List<IntakeSummary> publishCorrections(final int part) throws IOException {
        final List<IntakeSummary> summaries = new ArrayList<>();
        for (final Feed feed : FeedCatalog.shipped().feeds()) {
            final IntakeSummary summary = publish(feed, correctionPart(feed, part));
            assertThat(summary.rejected()).as(feed + " corrections refused").isZero();
            summaries.add(summary);
        }
        return summaries;
    }

    /** Waits until the topologies have read every raw record and passed on every change they held back. */
    private static void awaitTopologies() throws Exception {
        new CatchUp(admin).awaitGroup(MetricsApplication.APPLICATION_ID,
                FeedCatalog.shipped().rawTopics(), FeedCatalog.shipped().metricAndPublishedTopics(),
                topologies::settled, WAIT, lag -> { });
    }

    // ---- the sinks ----------------------------------------------------------------------------------

    /** The sink's settings as the demo and {@code hub sink postgres} make them. */
    private static PostgresMetricSink.Options sinkOptions() {
        return new PostgresMetricSink.Options(FeedCatalog.shipped().metricTopics(), new LinkedHashMap<>(config.kafkaClientProperties()),
                config.serdeProperties());
    }

    /** As {@link PostgresMetricSink#applicationName()} names the connections of a sink writing to the schema. */
    private static String sinkApplicationName() {
        return "csp-hub-postgres-sink-" + database.schema();
    }

    /** Waits for a sink's count of applied records to reach {@code expected}, and asserts it went no further. */
    private static void assertAppliedOnce(final String sink, final LongSupplierWithErrors applied,
            final long expected) {
        final AtomicReference<Object> seen = new AtomicReference<>();
        try {
            await(sink + " to have applied " + expected + " records").atMost(WAIT).pollInSameThread().until(() -> {
                try {
                    final long now = applied.get();
                    seen.set(now);
                    return now >= expected;
                } catch (Exception e) {
                    seen.set(e);
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it last said " + seen.get(), e);
        }
        assertThat(seen.get()).as("records applied by " + sink).isEqualTo(expected);
    }

    /** A count that may need I/O to read. */
    @FunctionalInterface
    private interface LongSupplierWithErrors {
        long get() throws Exception;
    }

    /** {@code hub sink postgres} in a JVM of its own, on the test's class path, until killed or stopped. */
    private record SinkProcess(Process process, Path log) {

        static SinkProcess start(final String name) throws IOException {
            final Path log = logs.resolve("sink-" + name + ".log");
            final List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), ParentWatchdog.class.getName(),
                    HubCommand.class.getName(), "sink", "postgres", "--bootstrap-servers", stack.bootstrapServers(),
                    "--schema-registry", stack.schemaRegistryUrl(), "--data-dir",
                    work.resolve("sink-process").toString(), "--port", "0");
            final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(variable -> variable.startsWith("CSP_HUB_"));
            builder.environment().put(HubConfig.environmentVariable(HubConfig.POSTGRES_URL), database.url());
            builder.environment().put(HubConfig.environmentVariable(HubConfig.POSTGRES_SCHEMA), database.schema());
            final SinkProcess sink = new SinkProcess(builder.start(), log);
            children.add(sink.process());
            await("the sink process to serve its metrics (" + log + ")")
                    .atMost(Duration.ofSeconds(60)).pollInSameThread().until(
                    () -> sink.httpPort().isPresent() || !sink.process().isAlive());
            assertThat(sink.process().isAlive()).as("the sink process runs; its output is in " + log).isTrue();
            return sink;
        }

        Optional<Integer> httpPort() {
            try {
                final Matcher matcher = HTTP_PORT.matcher(Files.readString(log, StandardCharsets.UTF_8));
                return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** What the sink says it has written, in its check on {@code /ready}. */
        long recordsWritten() throws Exception {
            final String ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort().orElseThrow() + "/ready"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
            final Matcher matcher = WRITTEN.matcher(ready);
            if (!matcher.find()) {
                throw new IllegalStateException("No count of written records on /ready: " + ready);
            }
            return Long.parseLong(matcher.group(1));
        }
    }

    // ---- PostgreSQL ---------------------------------------------------------------------------------

    /** The tables and the stored offsets, read in one snapshot of the database. */
    private record Snapshot(Map<MetricCell, AreaMetric> rows, Map<MetricCell, AreaMetric> published,
            Map<TopicPartition, Long> offsets) {
    }

    /**
     * Waits for the topologies' output to be complete and the sink to have stored the offset after the last
     * record of every metric topic partition, then asserts that {@code area_metric} is the latest value of
     * every key of the topics and {@code published_area_metric} their disclosure-controlled version.
     */
    /**
     * Every hate crime count of the quarter's tables has its rate per 1,000 residents beside it, and that
     * rate is the count × 1,000 over the residents of its area in the calendar year its period starts
     * in, as the shipped population file gives them (read here line by line; the partnership's are its
     * districts' summed).
     */
    private static void assertHateCrimesPer1000ResidentsFollowTheirCounts(final Map<MetricCell, AreaMetric> rows)
            throws IOException {
        final Map<String, Long> residents = new HashMap<>();
        try (InputStream in = Geography.class.getResourceAsStream("/geography/population.csv")) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#") && !line.startsWith("AREACD")).forEach(line -> {
                        final String[] cells = line.split(",");
                        final String code = cells[0];
                        final String year = cells[cells.length - 2];
                        final long people = Long.parseLong(cells[cells.length - 1]);
                        residents.put(code + "|" + year, people);
                        if (code.startsWith("E06") || code.startsWith("E07")) {
                            residents.merge("CSP|" + year, people, Long::sum);
                        }
                    });
        }
        final List<MetricCell> counts = rows.keySet().stream()
                .filter(cell -> cell.metric().equals("crime.hate_crime") && cell.isTotal()).toList();
        assertThat(counts.stream().filter(cell -> cell.areaType() == AreaType.DISTRICT).map(MetricCell::areaCode)
                .distinct()).as("districts with hate crime counts").hasSize(Geography.defaults().districts().size());
        for (final MetricCell cell : counts) {
            final AreaMetric rate = rows.get(cell.withMetric("crime.hate_crime_per_1000"));
            assertThat(rate).as("the rate per 1,000 residents beside " + cell).isNotNull();
            final long count = Math.round(rows.get(cell).getValue());
            final String period = cell.period();
            final YearMonth first = switch (cell.periodType()) {
                case MONTH -> YearMonth.parse(period);
                case QUARTER -> YearMonth.of(Integer.parseInt(period.substring(0, 4)), 4)
                        .plusMonths(3L * (Integer.parseInt(period.substring(period.length() - 1)) - 1));
                case FINANCIAL_YEAR -> YearMonth.of(Integer.parseInt(period.substring(0, 4)), 4);
                case ROLLING_12M -> YearMonth.parse(period.substring("12m to ".length())).minusMonths(11);
            };
            final Long people = residents.get((cell.areaType() == AreaType.CSP ? "CSP" : cell.areaCode()) + "|"
                    + first.getYear());
            assertThat(people).as("residents of " + cell.areaCode() + " in " + first.getYear()).isNotNull();
            assertThat(rate.getNumerator()).as(cell.toString()).isEqualTo(count);
            assertThat(rate.getDenominator()).as(cell.toString()).isEqualTo(people);
            assertThat(rate.getValue()).as(cell.toString()).isEqualTo(count * 1000.0 / people);
        }
    }

    private static Map<MetricCell, AreaMetric> assertTablesEqualTheTopics() throws Exception {
        // the end offsets: the topologies write in transactions, so a partition ends with a commit marker, and a
        // sink that has caught up has stored the position past it
        final Map<TopicPartition, Long> ends = topics.readToEnd();
        await("the sink in " + database.schema() + " to store the offsets " + ends)
                .atMost(WAIT).pollInSameThread().until(() -> {
            try {
                return ends.equals(storedOffsets());
            } catch (SQLException e) {
                return false;
            }
        });
        final Snapshot snapshot = snapshot();
        assertThat(snapshot.offsets()).isEqualTo(ends);
        final Map<MetricCell, AreaMetric> latest = topics.latest(ends);
        assertThat(latest).isNotEmpty();
        assertSameRows("area_metric in " + database.schema(), snapshot.rows(), latest);
        assertSameRows("published_area_metric in " + database.schema(), snapshot.published(),
                topics.latestPublished(ends));
        assertPublishedIsDisclosureControlled(snapshot.rows(), snapshot.published());
        return latest;
    }

    /**
     * {@code published_area_metric} holds what disclosure control makes of the whole of
     * {@code area_metric}: the same cells, each as it is or withheld (the time of a value's last update
     * aside, which a withheld value keeps from when it was first withheld).
     */
    private static void assertPublishedIsDisclosureControlled(final Map<MetricCell, AreaMetric> rows,
            final Map<MetricCell, AreaMetric> published) {
        assertSameRows("published_area_metric against disclosure control of area_metric",
                withoutUpdateTimes(published), withoutUpdateTimes(byCell(disclosure.apply(rows.values()))));
        assertThat(published.values()).as("withheld values").anyMatch(AreaMetric::getSuppressed);
    }

    private static Map<MetricCell, AreaMetric> withoutUpdateTimes(final Map<MetricCell, AreaMetric> rows) {
        final Map<MetricCell, AreaMetric> without = new HashMap<>();
        rows.forEach((cell, row) -> without.put(cell, AreaMetric.newBuilder(row).setUpdatedAt(Instant.EPOCH).build()));
        return without;
    }

    private static void assertSameRows(final String table, final Map<MetricCell, AreaMetric> actual,
            final Map<MetricCell, AreaMetric> expected) {
        final List<String> differences = new ArrayList<>();
        expected.forEach((cell, value) -> {
            final AreaMetric row = actual.get(cell);
            if (row == null) {
                differences.add("missing " + value);
            } else if (!row.equals(value)) {
                differences.add("expected " + value + " but found " + row);
            }
        });
        actual.forEach((cell, row) -> {
            if (!expected.containsKey(cell)) {
                differences.add("not in the topics: " + row);
            }
        });
        assertThat(differences.stream().limit(10).toList())
                .as("the first of %d differences in %s (%d rows expected)", differences.size(), table, expected.size())
                .isEmpty();
        assertThat(actual).hasSameSizeAs(expected);
    }

    private static Snapshot snapshot() throws SQLException {
        try (Connection connection = connect()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setAutoCommit(false);
            final Snapshot snapshot = new Snapshot(rows(connection, "area_metric"),
                    rows(connection, "published_area_metric"), storedOffsets(connection));
            connection.commit();
            return snapshot;
        }
    }

    /** The offsets the sink has stored (none before its tables exist). */
    private static Map<TopicPartition, Long> storedOffsets() throws SQLException {
        return PostgresMetricSink.storedPositions(database).orElse(Map.of());
    }

    private static Map<TopicPartition, Long> storedOffsets(final Connection connection) throws SQLException {
        return SinkTables.storedOffsets(connection);
    }

    private static Map<MetricCell, AreaMetric> rows(final Connection connection, final String table)
            throws SQLException {
        return byCell(SinkTables.rows(connection, table));
    }

    private static Map<MetricCell, AreaMetric> byCell(final Collection<AreaMetric> metrics) {
        final Map<MetricCell, AreaMetric> cells = new HashMap<>();
        for (final AreaMetric metric : metrics) {
            if (cells.put(MetricCell.of(metric), metric) != null) {
                throw new AssertionError("Two rows for " + MetricCell.of(metric));
            }
        }
        return cells;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL + "?currentSchema=" + database.schema(), USER, "");
    }

    /**
     * A transaction holding {@code sink_offset} in {@code SHARE} mode: the sink can read its offsets, and write
     * a batch's rows, but waits before it stores the batch's offsets and commits.
     */
    private static final class OffsetsLock implements AutoCloseable {

        private final Connection connection;

        OffsetsLock() throws SQLException {
            connection = DriverManager.getConnection(URL, USER, "");
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("LOCK TABLE " + database.schema() + ".sink_offset IN SHARE MODE");
            }
        }

        void release() throws SQLException {
            connection.rollback();
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                // a server restart has ended it already
            }
        }
    }

    /**
     * Waits until the sink's connection is waiting for the lock on {@code sink_offset} while holding the
     * locks of the rows it has written in {@code area_metric}: a batch written and not committed.
     */
    private static void awaitSinkInsideABatch(final String applicationName) {
        await("the sink to wait for sink_offset with a batch written").atMost(WAIT).pollInSameThread().until(
                () -> backends(applicationName, "AND wait_event_type = 'Lock'") == 1);
        assertThat(locksOnRows(applicationName, database.schema())).as("the open batch's lock on area_metric")
                .isPositive();
    }

    private static int backends(final String applicationName, final String condition) {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? " + condition)) {
            statement.setString(1, applicationName);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    private static int locksOnRows(final String applicationName, final String schema) {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
                PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_locks l "
                        + "JOIN pg_stat_activity a ON a.pid = l.pid JOIN pg_class c ON c.oid = l.relation "
                        + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.application_name = ? "
                        + "AND n.nspname = ? AND c.relname = 'area_metric' AND l.mode = 'RowExclusiveLock' "
                        + "AND l.granted")) {
            statement.setString(1, applicationName);
            statement.setString(2, schema);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        } catch (SQLException e) {
            throw new AssertionError("Cannot read pg_locks", e);
        }
    }

    private static boolean answers() {
        try (Connection connection = DriverManager.getConnection(URL, USER, "")) {
            return connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private static Instant postmasterStarted() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT pg_postmaster_start_time()")) {
            result.next();
            return result.getTimestamp(1).toInstant();
        }
    }

    // ---- the metric topics, read independently -----------------------------------------------------

    /**
     * The metric topics as an outside consumer reads them: {@code read_committed}, no consumer group, every
     * partition from the beginning; it keeps every record with its offset.
     */
    private static final class MetricTopicsReader implements AutoCloseable {

        /** A record: its key's cell, its value with the sink's update time (null for a tombstone). */
        private record Read(TopicPartition partition, long offset, MetricCell cell, AreaMetric value) {
        }

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final AvroDeserializer<AreaMetricKey> keys = new AvroDeserializer<>(AreaMetricKey.class);
        private final AvroDeserializer<AreaMetric> values = new AvroDeserializer<>(AreaMetric.class);
        private final List<Read> records = new ArrayList<>();

        MetricTopicsReader(final HubConfig config) {
            final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
            properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "postgres-pipeline-it-reader");
            properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
            consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            keys.configure(config.serdeProperties(), true);
            values.configure(config.serdeProperties(), false);
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final String topic : FeedCatalog.shipped().metricAndPublishedTopics()) {
                for (final PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Reads every partition to its last stable offset; returns those offsets. */
        Map<TopicPartition, Long> readToEnd() {
            final Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
            await("the metric topics to be read to " + ends).atMost(WAIT).pollInSameThread().until(() -> {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    final AreaMetricKey key = keys.deserialize(record.topic(), record.key());
                    final AreaMetric value = values.deserialize(record.topic(), record.value());
                    records.add(new Read(new TopicPartition(record.topic(), record.partition()), record.offset(),
                            MetricCell.of(key), value == null || value.getUpdatedAt() != null ? value
                                    : AreaMetric.newBuilder(value)
                                            .setUpdatedAt(Instant.ofEpochMilli(record.timestamp())).build()));
                }
                return ends.entrySet().stream()
                        .allMatch(end -> consumer.position(end.getKey(), Duration.ofSeconds(30)) >= end.getValue());
            });
            return Map.copyOf(ends);
        }

        /**
         * The latest value of every key of the metric topics among the records below {@code ends}, tombstones
         * removing it.
         */
        Map<MetricCell, AreaMetric> latest(final Map<TopicPartition, Long> ends) {
            return latest(ends, Topics.METRICS_PREFIX);
        }

        /** As {@link #latest(Map)}, of the published topics. */
        Map<MetricCell, AreaMetric> latestPublished(final Map<TopicPartition, Long> ends) {
            return latest(ends, Topics.PUBLISHED_PREFIX);
        }

        private Map<MetricCell, AreaMetric> latest(final Map<TopicPartition, Long> ends, final String prefix) {
            final Map<MetricCell, AreaMetric> latest = new HashMap<>();
            for (final Read read : records) {
                if (read.partition().topic().startsWith(prefix)
                        && read.offset() < ends.getOrDefault(read.partition(), 0L)) {
                    if (read.value() == null) {
                        latest.remove(read.cell());
                    } else {
                        latest.put(read.cell(), read.value());
                    }
                }
            }
            return latest;
        }

        /** How many records there are at or after {@code from} (every record where a partition has no offset). */
        long recordsFrom(final Map<TopicPartition, Long> from) {
            return records.stream().filter(read -> read.offset() >= from.getOrDefault(read.partition(), 0L)).count();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
