package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.embedded.TestPostgres;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.serde.AvroSerializer;
import org.csphub.sinks.postgres.PostgresMetricSink;
import org.csphub.sinks.postgres.PostgresSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The PostgreSQL sink's lag against a real broker and a real PostgreSQL: the meters from the offsets the
 * sink stored in its database (it need not run) and from the running sink, and {@code hub status}'s
 * reading of the same table. Each run has its own metric topic and its own schema.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(EmbeddedStackExtension.class)
class SinkLagIT {

    private static final String URL = TestPostgres.get().url();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CSP = "cambridgeshire-and-peterborough";
    private static final int PARTITIONS = 2;

    private static EmbeddedStack stack;
    private String topic;
    private PostgresSettings database;
    private HubConfig config;
    private int nextPeriod;

    @BeforeAll
    static void startStack(final EmbeddedStack shared) {
        stack = shared;
    }

    @BeforeEach
    void createTopicAndSchemaName() throws Exception {
        final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        topic = "hub-sink-lag-it-" + run + ".metrics.asb";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        database = new PostgresSettings(URL, "postgres", "", "hub_sink_lag_it_" + run);
        config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
                HubConfig.POSTGRES_URL, URL,
                HubConfig.POSTGRES_USER, "postgres",
                HubConfig.POSTGRES_PASSWORD, "",
                HubConfig.POSTGRES_SCHEMA, database.schema()));
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + database.schema() + " CASCADE");
        }
    }

    @Test
    void shouldCountTheRecordsWrittenWhileTheSinkWasStoppedAndNoneOnceItHasRun() throws Exception {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (SinkLagMonitor fromDatabase = SinkLagMonitor.connect(config, "postgres", List.of(topic),
                () -> PostgresMetricSink.storedPositions(database)).bindTo(registry);
                Admin admin = KafkaClients.admin(config, "sink-lag-it-status")) {
            final StatusProbe probe = new StatusProbe(config, Clock.systemUTC(), List.of(topic));
            final TopicOffsets offsets = new TopicOffsets(admin);
            final PipelineStatus.SinkStatus beforeFirstRun = probe.postgresSink(offsets);
            assertThat(beforeFirstRun.lag()).isEmpty();
            assertThat(beforeFirstRun.detail()).contains("has not run", database.schema());

            // as the topologies write the metric topics: in a transaction, which ends with a commit marker
            produceInOneTransaction(metrics(12));
            runSinkUntilCaughtUp();

            assertThat(fromDatabase.refresh()).isTrue();
            assertThat(fromDatabase.lag()).map(SinkLag::total).contains(0L);
            assertThat(lagSamples(registry)).containsOnly(0.0).hasSize(PARTITIONS);

            // the sink is stopped: five more records, without a transaction, so that offsets are records
            final Map<Integer, Long> sentTo = produce(metrics(5));
            assertThat(fromDatabase.refresh()).isTrue();
            assertThat(fromDatabase.lag()).map(SinkLag::total).contains(5L);
            assertThat(registry.scrape()).contains("csphub_sink_lag_total_records{sink=\"postgres\"} 5.0");
            for (int partition = 0; partition < PARTITIONS; partition++) {
                assertThat(registry.scrape()).contains("csphub_sink_lag_records{partition=\"" + partition
                        + "\",sink=\"postgres\",topic=\"" + topic + "\"} "
                        + (double) sentTo.getOrDefault(partition, 0L));
            }
            final PipelineStatus.SinkStatus behind = probe.postgresSink(offsets);
            assertThat(behind.lag()).map(SinkLag::total).contains(5L);
            assertThat(behind.detail()).contains("offsets stored in schema " + database.schema());

            runSinkUntilCaughtUp();

            assertThat(fromDatabase.refresh()).isTrue();
            assertThat(fromDatabase.lag()).map(SinkLag::total).contains(0L);
            assertThat(registry.scrape()).contains("csphub_sink_lag_total_records{sink=\"postgres\"} 0.0");
            assertThat(lagSamples(registry)).containsOnly(0.0).hasSize(PARTITIONS);
            assertThat(probe.postgresSink(offsets).lag()).map(SinkLag::total).contains(0L);
        }
    }

    /** Runs a sink until it has written everything, measuring its lag from its own positions meanwhile. */
    private void runSinkUntilCaughtUp() throws Exception {
        final Map<String, Object> consumer = Map.of("bootstrap.servers", stack.bootstrapServers());
        final PostgresMetricSink sink = new PostgresMetricSink(database,
                new PostgresMetricSink.Options(List.of(topic), consumer, config.serdeProperties()));
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final Thread thread = Thread.ofPlatform().name("postgres-sink").start(sink);
        try (SinkLagMonitor running = SinkLagMonitor.connect(config, "postgres", List.of(topic), sink::positions)
                .bindTo(registry)) {
            await("the sink to catch up").atMost(WAIT).pollInSameThread().until(sink::caughtUp);
            assertThat(running.refresh()).isTrue();
            assertThat(running.lag()).map(SinkLag::total).contains(0L);
            assertThat(registry.scrape()).contains("csphub_sink_lag_total_records{sink=\"postgres\"} 0.0");
        } finally {
            sink.close();
            thread.join(Duration.ofSeconds(30));
        }
        assertThat(thread.isAlive()).isFalse();
    }

    private static List<Double> lagSamples(final PrometheusMeterRegistry registry) {
        final List<Double> samples = new ArrayList<>();
        for (final String line : registry.scrape().split("\n")) {
            if (line.startsWith("csphub_sink_lag_records{")) {
                samples.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return samples;
    }

    /** {@code count} metric values of the partnership, each of its own month. */
    private List<AreaMetric> metrics(final int count) {
        final List<AreaMetric> metrics = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final YearMonth month = YearMonth.of(2020, 1).plusMonths(nextPeriod++);
            metrics.add(AreaMetric.newBuilder().setMetric("asb.incidents").setAreaType(AreaType.CSP)
                    .setAreaCode(CSP).setAreaName("Cambridgeshire and Peterborough").setPeriodType(PeriodType.MONTH)
                    .setPeriod(month.toString()).setValue(20.0 + i).setUpdatedAt(Instant.parse("2021-04-06T07:00:00Z"))
                    .build());
        }
        return metrics;
    }

    private static AreaMetricKey keyOf(final AreaMetric metric) {
        return AreaMetricKey.newBuilder().setMetric(metric.getMetric()).setDimension(metric.getDimension())
                .setDimensionValue(metric.getDimensionValue()).setAreaType(metric.getAreaType())
                .setAreaCode(metric.getAreaCode()).setPeriodType(metric.getPeriodType())
                .setPeriod(metric.getPeriod()).build();
    }

    private KafkaProducer<AreaMetricKey, AreaMetric> producer(final Map<String, Object> settings) {
        final AvroSerializer<AreaMetricKey> keys = new AvroSerializer<>();
        keys.configure(config.serdeProperties(), true);
        final AvroSerializer<AreaMetric> values = new AvroSerializer<>();
        values.configure(config.serdeProperties(), false);
        final Map<String, Object> properties = new HashMap<>(settings);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        return new KafkaProducer<>(properties, keys, values);
    }

    private void produceInOneTransaction(final List<AreaMetric> metrics) throws Exception {
        try (KafkaProducer<AreaMetricKey, AreaMetric> producer = producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, database.schema() + "-metrics"))) {
            producer.initTransactions();
            producer.beginTransaction();
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            metrics.forEach(metric -> sent.add(producer.send(new ProducerRecord<>(topic, keyOf(metric), metric))));
            producer.commitTransaction();
            for (final Future<RecordMetadata> result : sent) {
                result.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Sends without a transaction; how many records went to each partition. */
    private Map<Integer, Long> produce(final List<AreaMetric> metrics) throws Exception {
        final Map<Integer, Long> counts = new HashMap<>();
        try (KafkaProducer<AreaMetricKey, AreaMetric> producer = producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
            for (final AreaMetric metric : metrics) {
                final RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, keyOf(metric), metric))
                        .get(30, TimeUnit.SECONDS);
                counts.merge(metadata.partition(), 1L, Long::sum);
            }
        }
        return counts;
    }
}
