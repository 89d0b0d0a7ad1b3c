package org.csphub.sinks.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.csphub.sinks.MetricFixtures.CAMBRIDGE;
import static org.csphub.sinks.MetricFixtures.CSP;
import static org.csphub.sinks.MetricFixtures.metric;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.disclosure.MetricCell;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.embedded.TestPostgres;
import org.csphub.geography.Geography;
import org.csphub.geography.Ward;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.serde.AvroSerializer;
import org.csphub.sinks.MetricFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(EmbeddedStackExtension.class)
class PostgresMetricSinkIT {

    private static final String URL = TestPostgres.get().url();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Geography GEOGRAPHY = Geography.defaults();
    private static final DisclosureControl DISCLOSURE = new DisclosureControl(5,
            code -> GEOGRAPHY.wardByCode(code).map(ward -> ward.district().code()));

    private static EmbeddedStack stack;
    private String asbTopic;
    private String fireTopic;
    private String publishedTopic;
    private PostgresSettings database;
    private final List<Sent> sent = new ArrayList<>();

    /** A record as produced, with where it landed. */
    private record Sent(AreaMetricKey key, AreaMetric value, TopicPartition partition, long offset) {
    }

    @BeforeAll
    static void startStack(final EmbeddedStack shared) {
        stack = shared;
    }

    @BeforeEach
    void createTopicsAndSchema() throws Exception {
        final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        asbTopic = "sinks-postgres-it-" + run + ".metrics.asb";
        fireTopic = "sinks-postgres-it-" + run + ".metrics.fire";
        publishedTopic = "sinks-postgres-it-" + run + ".published.asb-and-fire";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(asbTopic, 3, (short) 1), new NewTopic(fireTopic, 3, (short) 1),
                    new NewTopic(publishedTopic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        database = new PostgresSettings(URL, "postgres", "", "sinks_it_" + run);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + database.schema() + " CASCADE");
        }
    }

    @Test
    void shouldHoldTheLatestValueOfEveryKeyAndItsPublishedVersion() throws Exception {
        final List<ProducerRecord<AreaMetricKey, AreaMetric>> records = generatedRecords();
        produce(records);

        final PostgresMetricSink sink = sink(100, batch -> { });
        final Thread thread = Thread.ofPlatform().name("postgres-sink").start(sink);
        try {
            waitForEndOfTopics();
            assertThat(rows("area_metric")).containsExactlyInAnyOrderElementsOf(latest(sent));
            assertThat(rows("published_area_metric"))
                    .containsExactlyInAnyOrderElementsOf(latestPublished(sent));
            assertThat(rows("published_area_metric")).anyMatch(AreaMetric::getSuppressed);
            assertThat(rows("area_metric")).noneMatch(AreaMetric::getSuppressed);
        } finally {
            sink.close();
            thread.join(Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldEndWithTheSameTablesAfterACrashBetweenWritingAndCommitting() throws Exception {
        final List<ProducerRecord<AreaMetricKey, AreaMetric>> records = generatedRecords();
        final int half = records.size() / 2;
        produce(records.subList(0, half));

        final AtomicReference<Throwable> crash = new AtomicReference<>();
        final PostgresMetricSink crashing = sink(10, batch -> {
            if (batch == 4) {
                throw new IllegalStateException("simulated crash before commit of batch 4");
            }
        });
        final Thread first = Thread.ofPlatform().name("crashing-sink").uncaughtExceptionHandler((t, e) -> crash.set(e))
                .start(crashing);
        first.join(WAIT);
        assertThat(crash.get()).hasMessage("simulated crash before commit of batch 4");

        // what the crashed sink committed is exactly what its stored offsets cover
        final Map<TopicPartition, Long> stored = storedOffsets();
        final List<Sent> covered = sent.stream()
                .filter(record -> record.offset() < stored.getOrDefault(record.partition(), 0L)).toList();
        assertThat(covered).hasSizeLessThan(half).isNotEmpty();
        assertThat(rows("area_metric")).containsExactlyInAnyOrderElementsOf(latest(covered));

        produce(records.subList(half, records.size()));
        final PostgresMetricSink restarted = sink(10, batch -> { });
        final Thread second = Thread.ofPlatform().name("restarted-sink").start(restarted);
        try {
            waitForEndOfTopics();
            assertThat(rows("area_metric")).containsExactlyInAnyOrderElementsOf(latest(sent));
            assertThat(rows("published_area_metric"))
                    .containsExactlyInAnyOrderElementsOf(latestPublished(sent));
        } finally {
            restarted.close();
            second.join(Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldCarryOnWhenTheDatabaseDropsItsConnections() throws Exception {
        final List<ProducerRecord<AreaMetricKey, AreaMetric>> records = generatedRecords();
        final int half = records.size() / 2;
        produce(records.subList(0, half));

        final PostgresMetricSink sink = sink(20, batch -> { });
        final Thread thread = Thread.ofPlatform().name("postgres-sink").start(sink);
        try {
            waitForEndOfTopics();
            // as a server restart does: every connection of the sink ends
            assertThat(terminateConnections(sink.applicationName())).isPositive();
            produce(records.subList(half, records.size()));
            waitForEndOfTopics();
            assertThat(sink.reconnects()).isPositive();
            assertThat(rows("area_metric")).containsExactlyInAnyOrderElementsOf(latest(sent));
            assertThat(rows("published_area_metric"))
                    .containsExactlyInAnyOrderElementsOf(latestPublished(sent));
        } finally {
            sink.close();
            thread.join(Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldReadATopicAgainWhenItHasBeenCreatedAgain() throws Exception {
        produce(generatedRecords());
        runUntilEndOfTopics();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()))) {
            admin.deleteTopics(List.of(asbTopic)).all().get(30, TimeUnit.SECONDS);
            await("the topic to be created again").atMost(WAIT).pollInSameThread().until(() -> {
                try {
                    admin.createTopics(List.of(new NewTopic(asbTopic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
        }
        // the new topic's offsets start from 0 again, and its keys are not the old topic's
        sent.removeIf(record -> record.partition().topic().equals(asbTopic));
        produce(generatedRecords().stream().filter(record -> record.topic().equals(asbTopic)).limit(12)
                .map(record -> new ProducerRecord<>(asbTopic, record.key(),
                        AreaMetric.newBuilder(record.value()).setValue(record.value().getValue() + 100).build()))
                .toList());
        runUntilEndOfTopics();

        assertThat(rows("area_metric")).containsExactlyInAnyOrderElementsOf(latest(sent));
        assertThat(rows("published_area_metric")).containsExactlyInAnyOrderElementsOf(latestPublished(sent));
    }

    @Test
    void shouldStoreTheEndOffsetsOfTransactionalTopicsOnceCaughtUp() throws Exception {
        assertThat(PostgresMetricSink.storedPositions(database)).as("before the sink's first run").isEmpty();
        final List<ProducerRecord<AreaMetricKey, AreaMetric>> records = generatedRecords();
        // as the topologies write: in transactions, each ending with a commit marker in every partition it wrote
        produceInTransactions(List.of(records.subList(0, 40), records.subList(40, records.size())));
        // a commit returns before its markers are in every partition: wait until the last stable offset of
        // every partition written is past its last record and that record's commit marker
        final Map<TopicPartition, Long> pastMarkers = new HashMap<>();
        sent.forEach(record -> pastMarkers.merge(record.partition(), record.offset() + 2, Math::max));
        final AtomicReference<Map<TopicPartition, Long>> last = new AtomicReference<>(Map.of());
        await("the commit markers to be written").atMost(WAIT).pollInSameThread().until(() -> {
            try {
                last.set(committedEndOffsets());
            } catch (Exception e) {
                return false;
            }
            return pastMarkers.entrySet().stream()
                    .allMatch(end -> last.get().getOrDefault(end.getKey(), 0L) >= end.getValue());
        });
        final Map<TopicPartition, Long> ends = last.get();
        assertThat(ends.values().stream().mapToLong(Long::longValue).sum())
                .as("records plus one commit marker per transaction and partition").isGreaterThan(records.size());

        final PostgresMetricSink sink = sink(25, batch -> { });
        final Thread thread = Thread.ofPlatform().name("postgres-sink").start(sink);
        try {
            await("the sink to catch up").atMost(WAIT).pollInSameThread().until(sink::caughtUp);
            assertThat(sink.positions()).contains(ends);
        } finally {
            sink.close();
            thread.join(Duration.ofSeconds(30));
        }

        assertThat(PostgresMetricSink.storedPositions(database)).contains(ends);
        assertThat(rows("area_metric")).containsExactlyInAnyOrderElementsOf(latest(sent));
    }

    private void produceInTransactions(final List<List<ProducerRecord<AreaMetricKey, AreaMetric>>> transactions)
            throws Exception {
        final Map<String, Object> serde = Map.of("schema.registry.url", stack.schemaRegistryUrl());
        final AvroSerializer<AreaMetricKey> keys = new AvroSerializer<>();
        keys.configure(serde, true);
        final AvroSerializer<AreaMetric> values = new AvroSerializer<>();
        values.configure(serde, false);
        try (KafkaProducer<AreaMetricKey, AreaMetric> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, database.schema() + "-producer"), keys, values)) {
            producer.initTransactions();
            for (final List<ProducerRecord<AreaMetricKey, AreaMetric>> transaction : transactions) {
                producer.beginTransaction();
                final List<Future<RecordMetadata>> results = new ArrayList<>();
                transaction.forEach(record -> results.add(producer.send(record)));
                producer.commitTransaction();
                for (int i = 0; i < transaction.size(); i++) {
                    final RecordMetadata metadata = results.get(i).get(30, TimeUnit.SECONDS);
                    sent.add(new Sent(transaction.get(i).key(), transaction.get(i).value(),
                            new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset()));
                }
            }
        }
    }

    private Map<TopicPartition, Long> committedEndOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()))) {
            final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (final String topic : List.of(asbTopic, fireTopic, publishedTopic)) {
                for (int partition = 0; partition < 3; partition++) {
                    request.put(new TopicPartition(topic, partition), OffsetSpec.latest());
                }
            }
            final Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(30, TimeUnit.SECONDS).forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        }
    }

    private void runUntilEndOfTopics() throws InterruptedException {
        final PostgresMetricSink sink = sink(100, batch -> { });
        final Thread thread = Thread.ofPlatform().name("postgres-sink").start(sink);
        try {
            waitForEndOfTopics();
        } finally {
            sink.close();
            thread.join(Duration.ofSeconds(30));
        }
    }

    private PostgresMetricSink sink(final int maxPollRecords, final PostgresMetricSink.BeforeCommit hook) {
        final Map<String, Object> consumer = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        final PostgresMetricSink.Options options = new PostgresMetricSink.Options(List.of(asbTopic, fireTopic),
                List.of(publishedTopic), consumer, Map.of("schema.registry.url", stack.schemaRegistryUrl()), maxPollRecords,
                Duration.ofMillis(100), Duration.ofSeconds(2));
        return new PostgresMetricSink(database, options, hook, java.time.Clock.systemUTC());
    }

    /**
     * Wards of Cambridge by month and ASB category, their district, fires by cause; then corrections of
     * some of them and tombstones of others.
     */
    private List<ProducerRecord<AreaMetricKey, AreaMetric>> generatedRecords() {
        final List<AreaMetric> metrics = new ArrayList<>();
        final List<Ward> wards = GEOGRAPHY.wards(GEOGRAPHY.district(CAMBRIDGE).orElseThrow(), LocalDate.of(2020, 6, 1));
        final List<String> categories = List.of("PERSONAL", "NUISANCE", "ENVIRONMENTAL");
        for (int month = 4; month <= 6; month++) {
            final String period = YearMonth.of(2020, month).toString();
            double district = 0;
            for (int w = 0; w < wards.size(); w++) {
                double total = 0;
                for (int c = 0; c < categories.size(); c++) {
                    final double count = (w * 7 + c * 5 + month) % 13;
                    total += count;
                    metrics.add(metric("asb.incidents", "category", categories.get(c), AreaType.WARD,
                            wards.get(w).code(), wards.get(w).name(), PeriodType.MONTH, period, count));
                }
                district += total;
                metrics.add(metric("asb.incidents", null, null, AreaType.WARD, wards.get(w).code(),
                        wards.get(w).name(), PeriodType.MONTH, period, total));
            }
            metrics.add(metric("asb.incidents", null, null, AreaType.DISTRICT, CAMBRIDGE, "Cambridge",
                    PeriodType.MONTH, period, district));
            metrics.add(metric("fire.fires", null, null, AreaType.CSP, CSP, "Cambridgeshire and Peterborough",
                    PeriodType.MONTH, period, 20.0 + month));
            metrics.add(metric("fire.fires", "cause", "DELIBERATE", AreaType.CSP, CSP,
                    "Cambridgeshire and Peterborough", PeriodType.MONTH, period, 3.0 + month));
        }
        final List<ProducerRecord<AreaMetricKey, AreaMetric>> records = new ArrayList<>();
        metrics.forEach(metric -> records.add(record(metric)));
        for (int i = 0; i < metrics.size(); i += 9) {
            final AreaMetric corrected = AreaMetric.newBuilder(metrics.get(i)).setValue(metrics.get(i).getValue() + 1)
                    .build();
            records.add(record(corrected));
        }
        for (int i = 4; i < metrics.size(); i += 40) {
            records.add(new ProducerRecord<>(topicOf(metrics.get(i)), MetricFixtures.keyOf(metrics.get(i)), null));
        }
        // what the topologies publish of the first values: the same keys after disclosure control, then
        // a withdrawal
        final List<AreaMetric> published = DISCLOSURE.apply(metrics);
        published.forEach(metric -> records.add(new ProducerRecord<>(publishedTopic, MetricFixtures.keyOf(metric),
                metric)));
        records.add(new ProducerRecord<>(publishedTopic, MetricFixtures.keyOf(published.get(4)), null));
        return records;
    }

    private ProducerRecord<AreaMetricKey, AreaMetric> record(final AreaMetric metric) {
        return new ProducerRecord<>(topicOf(metric), MetricFixtures.keyOf(metric), metric);
    }

    private String topicOf(final AreaMetric metric) {
        return metric.getMetric().startsWith("fire.") ? fireTopic : asbTopic;
    }

    private void produce(final List<ProducerRecord<AreaMetricKey, AreaMetric>> records) throws Exception {
        final Map<String, Object> serde = Map.of("schema.registry.url", stack.schemaRegistryUrl());
        final AvroSerializer<AreaMetricKey> keys = new AvroSerializer<>();
        keys.configure(serde, true);
        final AvroSerializer<AreaMetric> values = new AvroSerializer<>();
        values.configure(serde, false);
        try (KafkaProducer<AreaMetricKey, AreaMetric> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), keys, values)) {
            for (final ProducerRecord<AreaMetricKey, AreaMetric> record : records) {
                final RecordMetadata metadata = producer.send(record).get(30, TimeUnit.SECONDS);
                sent.add(new Sent(record.key(), record.value(),
                        new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset()));
            }
        }
    }

    /** The latest value of every key sent to a metric topic among {@code records}, tombstones removing it. */
    private List<AreaMetric> latest(final List<Sent> records) {
        return latestOf(records.stream().filter(record -> !record.partition().topic().equals(publishedTopic)).toList());
    }

    /** The latest value of every key sent to the published topic. */
    private List<AreaMetric> latestPublished(final List<Sent> records) {
        return latestOf(records.stream().filter(record -> record.partition().topic().equals(publishedTopic)).toList());
    }

    private static List<AreaMetric> latestOf(final List<Sent> records) {
        final Map<MetricCell, AreaMetric> latest = new LinkedHashMap<>();
        for (final Sent record : records) {
            if (record.value() == null) {
                latest.remove(MetricCell.of(record.key()));
            } else {
                latest.put(MetricCell.of(record.key()), record.value());
            }
        }
        return new ArrayList<>(latest.values());
    }

    private void waitForEndOfTopics() {
        final Map<TopicPartition, Long> end = new HashMap<>();
        sent.forEach(record -> end.merge(record.partition(), record.offset() + 1, Math::max));
        await("the sink to store the end offsets " + end).atMost(WAIT).pollInSameThread().until(() -> {
            try {
                final Map<TopicPartition, Long> stored = storedOffsets();
                return end.entrySet().stream().allMatch(entry -> entry.getValue().equals(stored.get(entry.getKey())));
            } catch (SQLException e) {
                return false;
            }
        });
    }

    private Map<TopicPartition, Long> storedOffsets() throws SQLException {
        try (Connection connection = database.connect("sinks-it-reader")) {
            return schemaExists(connection) ? MetricTables.storedOffsets(connection) : Map.of();
        }
    }

    private List<AreaMetric> rows(final String table) throws SQLException {
        try (Connection connection = database.connect("sinks-it-reader")) {
            return MetricTables.read(connection, table);
        }
    }

    private boolean schemaExists(final Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = 'sink_offset'")) {
            statement.setString(1, database.schema());
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    private static int terminateConnections(final String applicationName) throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
            statement.setString(1, applicationName);
            int terminated = 0;
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    terminated += result.getBoolean(1) ? 1 : 0;
                }
            }
            return terminated;
        }
    }

}
