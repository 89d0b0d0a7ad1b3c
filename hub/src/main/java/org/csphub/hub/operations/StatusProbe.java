package org.csphub.hub.operations;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.csphub.config.HubConfig;
import org.csphub.feeds.RejectedRecord;
import org.csphub.feeds.RejectionReason;
import org.csphub.hub.server.KafkaReadiness;
import org.csphub.hub.server.ReadinessCheck;
import org.csphub.hub.server.RegistryReadiness;
import org.csphub.serde.AvroDeserializer;
import org.csphub.sinks.postgres.PostgresMetricSink;
import org.csphub.sinks.postgres.PostgresSettings;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;

/**
 * Gathers a {@link PipelineStatus} from the configured cluster and registry, once. The PostgreSQL
 * sink's lag is measured from the offsets it stores in its database ({@code sink_offset} in
 * {@code postgres.schema} at {@code postgres.url}), so it is known whether or not the sink is running;
 * when that database does not answer, or the sink has never run against it, the status says so.
 */
public final class StatusProbe {

    /** Months begin at midnight in the partnership's zone. */
    static final ZoneId ZONE = ZoneId.of("Europe/London");
    /** Dead letters read per feed to rank the reasons; enough for a month of a CSP's feeds. */
    static final int REASON_SAMPLE = 20_000;
    static final int TOP_REASONS = 3;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_LIMIT = Duration.ofSeconds(20);

    /** The name the PostgreSQL sink's lag carries, as on {@code /metrics}. */
    static final String POSTGRES_SINK = "postgres";

    private final HubConfig config;
    private final FeedCatalog catalog;
    private final Clock clock;
    private final List<String> sinkTopics;

    /** A probe of the configured catalog's feeds ({@code feeds.dir}). */
    public StatusProbe(final HubConfig config, final Clock clock) {
        this(config, FeedCatalog.of(config), clock);
    }

    private StatusProbe(final HubConfig config, final FeedCatalog catalog, final Clock clock) {
        this(config, catalog, clock, catalog.metricAndPublishedTopics());
    }

    /** A probe whose sink reads {@code sinkTopics} rather than the metric topics. */
    StatusProbe(final HubConfig config, final Clock clock, final List<String> sinkTopics) {
        this(config, FeedCatalog.of(config), clock, sinkTopics);
    }

    private StatusProbe(final HubConfig config, final FeedCatalog catalog, final Clock clock,
            final List<String> sinkTopics) {
        this.config = config;
        this.catalog = catalog;
        this.clock = clock;
        this.sinkTopics = List.copyOf(sinkTopics);
    }

    /**
     * The status now. Its parts are asked for side by side, each on a thread of its own: the broker's
     * and the registry's health; then the feeds' newest records, the topologies' and the sink's lags,
     * and the feeds' offsets with their dead letters' reasons, the offsets of every feed in one request
     * per kind and the reasons through one reader.
     */
    public PipelineStatus gather() throws InterruptedException, ExecutionException, TimeoutException {
        final Instant now = clock.instant();
        final long threshold = config.getInt(HubConfig.OPERATIONS_LAG_THRESHOLD);
        final Duration window = Duration.parse(config.get(HubConfig.OPERATIONS_DEAD_LETTER_WINDOW));
        final PipelineStatus.Health health = health();
        if (!health.up()) {
            return new PipelineStatus(now, health, List.of(), List.of(), threshold, window);
        }
        final Instant monthStart = YearMonth.from(now.atZone(ZONE)).atDay(1).atStartOfDay(ZONE).toInstant();
        try (Admin admin = KafkaClients.admin(config, "csp-hub-status");
                FeedFreshnessMonitor freshness = FeedFreshnessMonitor.connect(config, catalog, clock)) {
            final TopicOffsets offsets = new TopicOffsets(admin);
            final CompletableFuture<Boolean> refreshed = aside(freshness::refresh);
            final BacklogMonitor.Watched topologies = BacklogMonitor.Watched.topologies(catalog);
            final CompletableFuture<ConsumerLag> lag = aside(() -> ConsumerLag.measure(offsets, topologies.group(),
                    topologies.topics()));
            final CompletableFuture<PipelineStatus.SinkStatus> sink = aside(() -> postgresSink(offsets));
            final List<String> topics = new ArrayList<>();
            catalog.feeds().forEach(feed -> topics.addAll(List.of(feed.rawTopic(), feed.deadLetterTopic())));
            final List<TopicPartition> partitions = offsets.partitions(topics);
            // the times asked for: 0 the month's start, 1 the dead-letter window's
            final TopicOffsets.Snapshot snapshot = offsets.snapshot(partitions, List.of(monthStart, now.minus(window)));
            final List<TopicPartition> deadLetters = partitions.stream().filter(partition -> catalog.feeds().stream()
                    .anyMatch(feed -> feed.deadLetterTopic().equals(partition.topic()))).toList();
            final Map<String, Map<String, Long>> reasons = topReasons(snapshot.at(deadLetters, 0));
            final boolean read = awaited(refreshed);
            // an operator who may not read the raw topics still sees when each was last written to
            final Map<String, Instant> appended = read ? Map.of() : lastAppended(admin, partitions.stream()
                    .filter(partition -> catalog.rawTopics().contains(partition.topic())).toList());
            final List<PipelineStatus.FeedStatus> feeds = new ArrayList<>();
            for (final Feed feed : catalog.feeds()) {
                final List<TopicPartition> raw = of(partitions, feed.rawTopic());
                final List<TopicPartition> dead = of(partitions, feed.deadLetterTopic());
                final FeedFreshness fresh = freshness.freshness(feed);
                final FeedFreshness known = fresh.lastReceived().isPresent() || !appended.containsKey(feed.rawTopic())
                        ? fresh : new FeedFreshness(feed, fresh.newestEvent(),
                                Optional.of(appended.get(feed.rawTopic())), fresh.expectation());
                feeds.add(new PipelineStatus.FeedStatus(known, snapshot.countSince(raw, 0),
                        snapshot.countSince(dead, 0), snapshot.size(dead), snapshot.countSince(dead, 1),
                        reasons.getOrDefault(feed.deadLetterTopic(), Map.of())));
            }
            return new PipelineStatus(now, health, feeds, List.of(awaited(lag)), List.of(awaited(sink)), threshold,
                    window);
        }
    }

    /**
     * The time of the latest record of each topic with records, from the broker's index (DESCRIBE is
     * enough, no READ): the producer's time of sending, which for a raw topic is when the hub accepted it.
     */
    private static Map<String, Instant> lastAppended(final Admin admin, final List<TopicPartition> partitions)
            throws InterruptedException {
        final Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.maxTimestamp()));
        final Map<String, Instant> appended = new HashMap<>();
        try {
            admin.listOffsets(latest).all().get(READ_LIMIT.toSeconds(), TimeUnit.SECONDS).forEach((partition, info) -> {
                if (info.timestamp() >= 0) {
                    appended.merge(partition.topic(), Instant.ofEpochMilli(info.timestamp()),
                            (a, b) -> a.isAfter(b) ? a : b);
                }
            });
        } catch (ExecutionException | TimeoutException e) {
            // the freshness stays unknown, as the monitor left it
            return Map.of();
        }
        return appended;
    }

    /** A part of the status that asks the cluster or a database and waits for it. */
    @FunctionalInterface
    private interface Part<T> {
        T ask() throws InterruptedException, ExecutionException, TimeoutException;
    }

    /** Asks for {@code part} on a thread of its own (the common pool has a single thread on two cores). */
    private static <T> CompletableFuture<T> aside(final Part<T> part) {
        final CompletableFuture<T> answer = new CompletableFuture<>();
        Thread.ofPlatform().name("csp-hub-status").daemon().start(() -> {
            try {
                answer.complete(part.ask());
            } catch (Exception | Error e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /** The answer of a part, its failure thrown as the part threw it. */
    private static <T> T awaited(final CompletableFuture<T> part) throws InterruptedException, ExecutionException,
            TimeoutException {
        try {
            return part.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timeout) {
                throw timeout;
            }
            if (e.getCause() instanceof ExecutionException execution) {
                throw execution;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static List<TopicPartition> of(final List<TopicPartition> partitions, final String topic) {
        return partitions.stream().filter(partition -> partition.topic().equals(topic)).toList();
    }

    /** The PostgreSQL sink's lag from the offsets stored in its database, or why it is not known. */
    PipelineStatus.SinkStatus postgresSink(final TopicOffsets offsets) throws InterruptedException,
            ExecutionException, TimeoutException {
        final PostgresSettings database;
        final Optional<Map<TopicPartition, Long>> stored;
        try {
            database = PostgresSettings.of(config);
            stored = PostgresMetricSink.storedPositions(database);
        } catch (SQLException | IllegalArgumentException e) {
            return new PipelineStatus.SinkStatus(POSTGRES_SINK, Optional.empty(), "PostgreSQL at "
                    + config.postgresUrl() + " cannot be read: " + e.getMessage());
        }
        final String where = "schema " + database.schema() + " at " + database.url();
        if (stored.isEmpty()) {
            return new PipelineStatus.SinkStatus(POSTGRES_SINK, Optional.empty(),
                    "the sink has not run against " + where + " (no sink_offset table)");
        }
        return new PipelineStatus.SinkStatus(POSTGRES_SINK,
                Optional.of(SinkLag.measure(offsets, POSTGRES_SINK, sinkTopics, stored.get())),
                "offsets stored in " + where);
    }

    private PipelineStatus.Health health() throws InterruptedException, ExecutionException, TimeoutException {
        final CompletableFuture<ReadinessCheck.Result> registry = aside(
                () -> new RegistryReadiness(config.schemaRegistryUrl()).check());
        final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put("bootstrap.servers", config.bootstrapServers());
        final ReadinessCheck.Result kafka;
        try (KafkaReadiness readiness = new KafkaReadiness(properties)) {
            kafka = readiness.check();
        }
        final ReadinessCheck.Result registryResult = awaited(registry);
        return new PipelineStatus.Health(kafka.ready(), kafka.detail(), registryResult.ready(),
                registryResult.detail());
    }

    /**
     * The most common reason codes among the dead letters from the given offsets on, by dead-letter
     * topic, read through one reader: a topic's partitions are paused once {@link #REASON_SAMPLE} of its
     * records were read.
     */
    private Map<String, Map<String, Long>> topReasons(final Map<TopicPartition, Long> from) {
        if (from.isEmpty()) {
            return Map.of();
        }
        final Map<String, Map<String, Long>> counts = new HashMap<>();
        final Map<String, Long> read = new HashMap<>();
        final AvroDeserializer<RejectedRecord> deserializer = new AvroDeserializer<>(RejectedRecord.class);
        deserializer.configure(config.serdeProperties(), false);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.reader(config, "csp-hub-status-reasons")) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(from.keySet());
            final long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (System.nanoTime() - deadline < 0 && behind(consumer, ends)) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (read.merge(record.topic(), 1L, Long::sum) > REASON_SAMPLE) {
                        continue;
                    }
                    final Map<String, Long> topic = counts.computeIfAbsent(record.topic(), name -> new HashMap<>());
                    if (record.value() == null) {
                        continue;
                    }
                    try {
                        for (final RejectionReason reason : deserializer.deserialize(record.topic(), record.value())
                                .getReasons()) {
                            topic.merge(reason.getCode(), 1L, Long::sum);
                        }
                    } catch (SerializationException e) {
                        topic.merge("UNREADABLE_DEAD_LETTER", 1L, Long::sum);
                    }
                }
                consumer.pause(from.keySet().stream().filter(partition -> read.getOrDefault(partition.topic(), 0L)
                        >= REASON_SAMPLE).toList());
            }
        }
        final Map<String, Map<String, Long>> top = new HashMap<>();
        counts.forEach((topic, codes) -> {
            final Map<String, Long> ranked = new LinkedHashMap<>();
            codes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey())).limit(TOP_REASONS)
                    .forEach(entry -> ranked.put(entry.getKey(), entry.getValue()));
            top.put(topic, ranked);
        });
        return top;
    }

    private static boolean behind(final KafkaConsumer<byte[], byte[]> consumer, final Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().anyMatch(end -> !consumer.paused().contains(end.getKey())
                && consumer.position(end.getKey()) < end.getValue());
    }
}
