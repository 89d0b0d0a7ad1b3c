package org.csphub.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.ExponentialBackoff;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.csphub.disclosure.MetricCell;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.serde.AvroDeserializer;
import org.csphub.serde.SchemaRegistryException;
import org.csphub.topics.Topics;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's {@code area_metric} table equal to the latest value of every key of the metric
 * topics (the operator's, unsuppressed), and {@code published_area_metric} equal to the latest value
 * of every key of the published topics (the research group's, where the topologies applied
 * disclosure control over whole periods).
 *
 * <p>Each poll is written in one transaction together with the next offset of every partition it
 * read, in {@code sink_offset}; on start and after any database error the consumer is positioned at
 * the stored offsets. The tables and the position therefore never disagree: a crash at any moment
 * loses nothing and applies nothing twice, and no consumer group or Kafka offset commit is involved.
 * The offset stored is the consumer's position, so it moves past the commit markers of the
 * transactions the topologies write; when a poll finds no records but the position has passed such
 * markers, the new positions alone are stored. A sink that has caught up therefore stores the end
 * offset of every partition, and the end offset minus the stored offset is its lag
 * ({@link #positions()}, {@link #storedPositions(PostgresSettings)}).
 * While the database is unreachable the sink waits with exponential back-off and says so in the log.
 */
public final class PostgresMetricSink implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresMetricSink.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /** Called inside each batch's transaction just before it commits, with the batch's number from 1. */
    interface BeforeCommit {
        void accept(long batch) throws SQLException;
    }

    /** Work on the database in one transaction. */
    private interface Transaction {
        void run() throws SQLException;
    }

    /**
     * The sink's settings.
     *
     * @param topics          the metric topics, written to {@code area_metric}
     * @param publishedTopics the published topics, written to {@code published_area_metric}
     */
    public record Options(List<String> topics, List<String> publishedTopics, Map<String, Object> consumerProperties,
            Map<String, Object> serdeProperties, int maxPollRecords, Duration initialBackoff, Duration maxBackoff) {

        /** The metric topics and the published topic of each ({@code csp.metrics.asb} and {@code csp.published.asb}). */
        public Options(final List<String> topics, final Map<String, Object> consumerProperties,
                final Map<String, Object> serdeProperties) {
            this(topics, topics.stream().filter(topic -> topic.startsWith(Topics.METRICS_PREFIX))
                    .map(Topics::publishedTopicOf).toList(), consumerProperties, serdeProperties, 5000,
                    Duration.ofMillis(250), Duration.ofSeconds(10));
        }

        /** Every topic the sink reads. */
        public List<String> allTopics() {
            final List<String> all = new ArrayList<>(topics);
            all.addAll(publishedTopics);
            return all;
        }
    }

    private final PostgresSettings database;
    private final Options options;
    private final Set<String> publishedTopics;
    private final BeforeCommit beforeCommit;
    private final Clock clock;
    private final String applicationName;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<AreaMetricKey> keys;
    private final Deserializer<AreaMetric> values;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong appliedRecords = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean ready;
    private volatile boolean caughtUp;
    /** The offsets the database holds, as of the last commit; null until read at start. */
    private volatile Map<TopicPartition, Long> positions;
    private final Map<String, String> topicIds = new HashMap<>();
    private Connection connection;
    private long batches;

    public PostgresMetricSink(final PostgresSettings database, final Options options) {
        this(database, options, batch -> { }, Clock.systemUTC());
    }

    PostgresMetricSink(final PostgresSettings database, final Options options, final BeforeCommit beforeCommit,
            final Clock clock) {
        this.database = database;
        this.options = options;
        this.publishedTopics = Set.copyOf(options.publishedTopics());
        this.beforeCommit = beforeCommit;
        this.clock = clock;
        this.applicationName = "csp-hub-postgres-sink-" + database.schema();
        final Map<String, Object> properties = new HashMap<>(options.consumerProperties());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, options.maxPollRecords());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, applicationName);
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.keys = new AvroDeserializer<>(AreaMetricKey.class);
        this.keys.configure(options.serdeProperties(), true);
        this.values = new AvroDeserializer<>(AreaMetric.class);
        this.values.configure(options.serdeProperties(), false);
    }

    /** The name the sink's database connections carry ({@code pg_stat_activity.application_name}). */
    public String applicationName() {
        return applicationName;
    }

    /** Records written (or deleted) and committed since start. */
    public long appliedRecords() {
        return appliedRecords.get();
    }

    /** How many times the sink lost its database connection and got it back. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Whether the schema is migrated and the consumer positioned. */
    public boolean isReady() {
        return ready;
    }

    /**
     * The next offset to read of each partition, as committed to the database with the rows it covers
     * (what {@code sink_offset} holds); empty until the sink has read the stored offsets at start. A
     * partition that is missing has nothing stored yet and is read from its beginning.
     */
    public Optional<Map<TopicPartition, Long>> positions() {
        return Optional.ofNullable(positions);
    }

    /** What the sink has stored, read in one snapshot of the database: both tables and the offsets they cover. */
    public record StoredTables(List<AreaMetric> metrics, List<AreaMetric> published,
            Map<TopicPartition, Long> offsets) {
    }

    /**
     * {@code area_metric}, {@code published_area_metric} and {@code sink_offset}, read in one repeatable-read
     * transaction, so that the rows are exactly those the offsets cover.
     *
     * @throws SQLException when the database does not answer or the sink has never created its tables
     */
    public static StoredTables storedTables(final PostgresSettings database) throws SQLException {
        try (Connection connection = database.connect("csp-hub-sink-tables")) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return new StoredTables(MetricTables.read(connection, "area_metric"),
                        MetricTables.read(connection, "published_area_metric"), MetricTables.storedOffsets(connection));
            } finally {
                connection.rollback();
            }
        }
    }

    /**
     * The offsets stored in the database's {@code sink_offset} table, read without running the sink
     * (as {@link #positions()}); empty when the schema has no such table, i.e. the sink has never run
     * against this database.
     *
     * @throws SQLException when the database does not answer
     */
    public static Optional<Map<TopicPartition, Long>> storedPositions(final PostgresSettings database)
            throws SQLException {
        try (Connection connection = database.connect("csp-hub-sink-offsets")) {
            try {
                try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?)")) {
                    statement.setString(1, database.schema() + ".sink_offset");
                    try (ResultSet rows = statement.executeQuery()) {
                        if (!rows.next() || rows.getString(1) == null) {
                            return Optional.empty();
                        }
                    }
                }
                return Optional.of(Map.copyOf(MetricTables.storedOffsets(connection)));
            } finally {
                connection.rollback();
            }
        }
    }

    @Override
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("The sink runs once");
        }
        try {
            connectAndMigrate();
            assign();
            positionAtStoredOffsets();
            ready = true;
            LOG.info("PostgreSQL sink writing {} and {} to schema {} at {}", options.topics(),
                    options.publishedTopics(), database.schema(), database.url());
            while (stopping.getCount() > 0) {
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    caughtUp = false;
                    writeOrRecover("Writing a batch of " + records.count() + " records to PostgreSQL",
                            () -> write(records));
                } else {
                    writeOrRecover("Storing the positions past transaction markers", this::storeMovedPositions);
                    caughtUp = readToTheEnd();
                }
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly();
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            stopped.countDown();
        }
    }

    /**
     * Whether the sink has written everything its topics held when it last looked: its last poll found
     * nothing and its position is at the end of every partition.
     */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * Whether the position is at the end of every partition; not while a broker that leads one of them is
     * away (the question times out, and the sink goes on reading from the others).
     */
    private boolean readToTheEnd() {
        try {
            final Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(5));
            for (final Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                if (consumer.position(end.getKey(), Duration.ofSeconds(5)) < end.getValue()) {
                    return false;
                }
            }
            return true;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.debug("The end offsets did not come in time: {}", e.getMessage());
            return false;
        }
    }

    /** Stops the sink and waits for its loop to end; what is committed stays, an open batch is rolled back. */
    @Override
    public void close() {
        stopping.countDown();
        if (started.compareAndSet(false, true)) {
            // never ran: nothing to wait for
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            return;
        }
        consumer.wakeup();
        try {
            stopped.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeOrRecover(final String what, final Transaction transaction) throws InterruptedException {
        try {
            transaction.run();
        } catch (SQLException e) {
            LOG.warn("{} failed ({}); reconnecting", what, summary(e));
            rollbackQuietly();
            closeQuietly();
            connectAndMigrate();
            reconnects.incrementAndGet();
            // nothing of the transaction was committed: read again from the offsets the database holds
            positionAtStoredOffsets();
        } catch (RegistryAway e) {
            LOG.warn("{} stopped: {}; reading the batch again", what, e.getMessage());
            rollbackQuietly();
            positionAtStoredOffsets();
        }
    }

    /** A record could not be read because the schema registry is away: nothing is wrong with it. */
    private static final class RegistryAway extends RuntimeException {

        private static final long serialVersionUID = 1L;

        RegistryAway(final SerializationException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static boolean registryAway(final Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry && registry.isTransient()) {
                return true;
            }
        }
        return false;
    }

    private void write(final ConsumerRecords<byte[], byte[]> records) throws SQLException {
        final Batch operator = new Batch();
        final Batch research = new Batch();
        for (final ConsumerRecord<byte[], byte[]> record : records) {
            try {
                final AreaMetricKey key = keys.deserialize(record.topic(), record.key());
                if (key == null) {
                    LOG.warn("Skipping a record without a key at {}-{} offset {}", record.topic(),
                            record.partition(), record.offset());
                    continue;
                }
                final AreaMetric value = values.deserialize(record.topic(), record.value());
                final MetricCell cell = MetricCell.of(key);
                (publishedTopics.contains(record.topic()) ? research : operator)
                        .put(cell, value == null ? null : withUpdateTime(value, record.timestamp()), record.topic());
                LOG.debug("{} at {}-{} offset {}", cell, record.topic(), record.partition(), record.offset());
            } catch (SerializationException e) {
                if (registryAway(e)) {
                    throw new RegistryAway(e);
                }
                LOG.warn("Skipping an unreadable record at {}-{} offset {}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }
        operator.write(connection, "area_metric");
        research.write(connection, "published_area_metric");
        // the position is past every record returned so far, and past any commit marker after them
        final Map<TopicPartition, Long> offsets = movedPositions();
        MetricTables.storeOffsets(connection, offsets, topicIds, clock.instant());
        batches++;
        beforeCommit.accept(batches);
        connection.commit();
        committed(offsets);
        appliedRecords.addAndGet(records.count());
        LOG.debug("Committed batch {}: {} records, {} operator rows, {} published rows", batches, records.count(),
                operator.size(), research.size());
    }

    /** The latest value of each key of one table in a poll, null where the last record was a tombstone. */
    private static final class Batch {
        private final Map<MetricCell, AreaMetric> latest = new LinkedHashMap<>();
        private final Map<MetricCell, String> sources = new HashMap<>();

        void put(final MetricCell cell, final AreaMetric value, final String topic) {
            latest.remove(cell);
            latest.put(cell, value);
            sources.put(cell, topic);
        }

        int size() {
            return latest.size();
        }

        void write(final Connection connection, final String table) throws SQLException {
            final Map<AreaMetric, String> upserts = new LinkedHashMap<>();
            final List<MetricCell> deletes = new ArrayList<>();
            latest.forEach((cell, value) -> {
                if (value == null) {
                    deletes.add(cell);
                } else {
                    upserts.put(value, sources.get(cell));
                }
            });
            MetricTables.delete(connection, table, deletes);
            MetricTables.upsert(connection, table, upserts);
        }
    }

    /**
     * Stores the positions that moved without records being returned: past commit markers, or past the
     * records of aborted transactions, which a read_committed consumer skips.
     */
    private void storeMovedPositions() throws SQLException {
        final Map<TopicPartition, Long> moved = movedPositions();
        if (moved.isEmpty()) {
            return;
        }
        MetricTables.storeOffsets(connection, moved, topicIds, clock.instant());
        connection.commit();
        committed(moved);
        LOG.debug("Stored positions without records: {}", moved);
    }

    /** Each assigned partition whose position differs from the offset the database holds for it. */
    private Map<TopicPartition, Long> movedPositions() {
        final Map<TopicPartition, Long> stored = positions == null ? Map.of() : positions;
        final Map<TopicPartition, Long> moved = new HashMap<>();
        for (final TopicPartition partition : consumer.assignment()) {
            final long position = consumer.position(partition, Duration.ofSeconds(5));
            final Long before = stored.get(partition);
            if (before == null || before != position) {
                moved.put(partition, position);
            }
        }
        return moved;
    }

    private void committed(final Map<TopicPartition, Long> offsets) {
        final Map<TopicPartition, Long> now = new HashMap<>(positions == null ? Map.of() : positions);
        now.putAll(offsets);
        positions = Map.copyOf(now);
    }

    private static AreaMetric withUpdateTime(final AreaMetric value, final long timestamp) {
        return value.getUpdatedAt() != null ? value
                : AreaMetric.newBuilder(value).setUpdatedAt(Instant.ofEpochMilli(timestamp)).build();
    }

    /** Waits between attempts: doubling from the initial back-off up to the longest, each give or take a fifth. */
    private ExponentialBackoff backoff() {
        return new ExponentialBackoff(options.initialBackoff().toMillis(), 2, options.maxBackoff().toMillis(), 0.2);
    }

    private void assign() throws InterruptedException {
        final ExponentialBackoff backoff = backoff();
        long attempts = 0;
        while (true) {
            final List<TopicPartition> partitions = new ArrayList<>();
            final List<String> missing = new ArrayList<>();
            for (final String topic : options.allTopics()) {
                final List<PartitionInfo> infos = partitionsOf(topic);
                if (infos.isEmpty()) {
                    missing.add(topic);
                }
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
            if (missing.isEmpty()) {
                consumer.assign(partitions);
                topicIds.putAll(currentTopicIds());
                return;
            }
            final Duration wait = Duration.ofMillis(backoff.backoff(attempts++));
            LOG.info("Waiting for the topics {} to exist; looking again in {} ms", missing, wait.toMillis());
            pause(wait);
        }
    }

    /** Each topic's id: it changes when a topic is deleted and created again, or the cluster is a new one. */
    private Map<String, String> currentTopicIds() {
        final Map<String, Object> properties = new HashMap<>(options.consumerProperties());
        properties.keySet().removeIf(key -> !AdminClientConfig.configNames().contains(key));
        try (Admin admin = Admin.create(properties)) {
            final Map<String, String> ids = new HashMap<>();
            admin.describeTopics(options.allTopics()).allTopicNames().get(30, TimeUnit.SECONDS)
                    .forEach((topic, description) -> ids.put(topic, description.topicId().toString()));
            return ids;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new org.apache.kafka.common.KafkaException("Cannot describe the metric topics: " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    /** Clears what the sink holds of a topic that is not the one its offsets were stored for. */
    private void forgetRecreatedTopics() throws SQLException {
        final Map<String, String> stored = MetricTables.storedTopicIds(connection);
        for (final Map.Entry<String, String> entry : stored.entrySet()) {
            final String current = topicIds.get(entry.getKey());
            if (current != null && entry.getValue() != null && !current.equals(entry.getValue())) {
                final int deleted = MetricTables.forgetTopic(connection, entry.getKey());
                LOG.warn("Topic {} is not the one the stored offsets belong to (id {}, was {}): removed its {} rows; "
                        + "reading it again from the beginning", entry.getKey(), current, entry.getValue(), deleted);
            }
        }
        connection.commit();
    }

    private List<PartitionInfo> partitionsOf(final String topic) {
        try {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            return infos == null ? List.of() : infos;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return List.of();
        }
    }

    private void positionAtStoredOffsets() throws InterruptedException {
        final ExponentialBackoff backoff = backoff();
        long attempts = 0;
        while (true) {
            try {
                forgetRecreatedTopics();
                final Map<TopicPartition, Long> stored = MetricTables.storedOffsets(connection);
                connection.commit();
                positions = Map.copyOf(stored);
                for (final TopicPartition partition : consumer.assignment()) {
                    final Long next = stored.get(partition);
                    if (next == null) {
                        consumer.seekToBeginning(List.of(partition));
                    } else {
                        consumer.seek(partition, next);
                    }
                }
                LOG.info("Reading from the offsets stored in PostgreSQL: {}", stored);
                return;
            } catch (SQLException e) {
                final Duration wait = Duration.ofMillis(backoff.backoff(attempts++));
                LOG.warn("Cannot read the stored offsets from PostgreSQL ({}); waiting {} ms", e.getMessage(),
                        wait.toMillis());
                closeQuietly();
                pause(wait);
                connectAndMigrate();
            }
        }
    }

    /** Connects, and brings the schema up to date, waiting with back-off for as long as the database is away. */
    private void connectAndMigrate() throws InterruptedException {
        final ExponentialBackoff backoff = backoff();
        long attempts = 0;
        while (true) {
            try {
                Flyway.configure().dataSource(database.url(), database.user(), database.password())
                        .schemas(database.schema()).defaultSchema(database.schema()).createSchemas(true)
                        .locations("classpath:db/migration/postgres").load().migrate();
                connection = database.connect(applicationName);
                return;
            } catch (SQLException | org.flywaydb.core.api.FlywayException e) {
                final Duration wait = Duration.ofMillis(backoff.backoff(attempts++));
                LOG.warn("PostgreSQL at {} is not available ({}); waiting {} ms before trying again", database.url(),
                        rootMessage(e), wait.toMillis());
                pause(wait);
            }
        }
    }

    private void pause(final Duration wait) throws InterruptedException {
        if (stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new WakeupException();
        }
    }

    /** The error's state and the cause the driver gives last (a batch error's own message quotes the whole SQL). */
    private static String summary(final SQLException error) {
        SQLException last = error;
        while (last.getNextException() != null && last.getNextException() != last) {
            last = last.getNextException();
        }
        final String message = last.getMessage() == null ? "" : last.getMessage();
        return "SQL state " + error.getSQLState() + ": "
                + (message.length() > 200 ? message.substring(0, 200) + "..." : message);
    }

    private static String rootMessage(final Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    private void rollbackQuietly() {
        try {
            if (connection != null) {
                connection.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("Rollback failed: {}", e.getMessage());
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("Closing the connection failed: {}", e.getMessage());
        }
        connection = null;
    }
}
