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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
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
            freshness.refresh();
            final List<PipelineStatus.FeedStatus> feeds = new ArrayList<>();
            for (final Feed feed : catalog.feeds()) {
                final List<TopicPartition> raw = offsets.partitions(List.of(feed.rawTopic()));
                final List<TopicPartition> dead = offsets.partitions(List.of(feed.deadLetterTopic()));
                feeds.add(new PipelineStatus.FeedStatus(freshness.freshness(feed), offsets.countSince(raw, monthStart),
                        offsets.countSince(dead, monthStart), offsets.size(dead),
                        offsets.countSince(dead, now.minus(window)), topReasons(offsets.at(dead, monthStart))));
            }
            final BacklogMonitor.Watched topologies = BacklogMonitor.Watched.topologies(catalog);
            final ConsumerLag lag = ConsumerLag.measure(offsets, topologies.group(), topologies.topics());
            return new PipelineStatus(now, health, feeds, List.of(lag), List.of(postgresSink(offsets)), threshold,
                    window);
        }
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

    private PipelineStatus.Health health() {
        final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put("bootstrap.servers", config.bootstrapServers());
        final ReadinessCheck.Result kafka;
        try (KafkaReadiness readiness = new KafkaReadiness(properties)) {
            kafka = readiness.check();
        }
        final ReadinessCheck.Result registry = new RegistryReadiness(config.schemaRegistryUrl()).check();
        return new PipelineStatus.Health(kafka.ready(), kafka.detail(), registry.ready(), registry.detail());
    }

    /** The most common reason codes among the dead letters from the given offsets on. */
    private Map<String, Long> topReasons(final Map<TopicPartition, Long> from) {
        if (from.isEmpty()) {
            return Map.of();
        }
        final Map<String, Long> counts = new HashMap<>();
        final AvroDeserializer<RejectedRecord> deserializer = new AvroDeserializer<>(RejectedRecord.class);
        deserializer.configure(config.serdeProperties(), false);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.reader(config, "csp-hub-status-reasons")) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(from.keySet());
            long read = 0;
            final long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (read < REASON_SAMPLE && System.nanoTime() - deadline < 0 && behind(consumer, ends)) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    read++;
                    if (record.value() == null) {
                        continue;
                    }
                    try {
                        for (final RejectionReason reason : deserializer.deserialize(record.topic(), record.value())
                                .getReasons()) {
                            counts.merge(reason.getCode(), 1L, Long::sum);
                        }
                    } catch (SerializationException e) {
                        counts.merge("UNREADABLE_DEAD_LETTER", 1L, Long::sum);
                    }
                }
            }
        }
        final Map<String, Long> top = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey())).limit(TOP_REASONS)
                .forEach(entry -> top.put(entry.getKey(), entry.getValue()));
        return top;
    }

    private static boolean behind(final KafkaConsumer<byte[], byte[]> consumer, final Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue());
    }
}
