package org.csphub.hub.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.csphub.config.HubConfig;
import org.csphub.serde.AvroDeserializer;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the raw topics for the newest event and the last record received per feed. It reads each
 * partition's last few records on the first refresh and every record appended after that, so it needs
 * no state of its own and works in any process that can reach the cluster and the registry.
 *
 * <p>Staleness is computed when asked, from the clock, so a gauge turns stale as time passes even when
 * no refresh happens.
 */
public final class FeedFreshnessMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedFreshnessMonitor.class);
    /** Records read back from the end of each partition on the first refresh. */
    static final int TAIL = 20;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration REFRESH_LIMIT = Duration.ofSeconds(15);

    private final Consumer<byte[], byte[]> consumer;
    private final Clock clock;
    private final FreshnessExpectations expectations;
    private final Map<Feed, AvroDeserializer<GenericRecord>> deserializers = new LinkedHashMap<>();
    private final Map<Feed, Instant> newestEvent = new ConcurrentHashMap<>();
    private final Map<Feed, Instant> lastReceived = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Feed> assigned = new HashMap<>();
    private Counter failures;

    FeedFreshnessMonitor(final Consumer<byte[], byte[]> consumer, final Map<String, Object> serdeProperties,
            final FreshnessExpectations expectations, final Clock clock) {
        this.consumer = consumer;
        this.clock = clock;
        this.expectations = expectations;
        // generic records: a feed of the partnership's own folder has no compiled class
        for (final Feed feed : expectations.feeds()) {
            final AvroDeserializer<GenericRecord> deserializer = AvroDeserializer.generic(feed.schema());
            deserializer.configure(serdeProperties, false);
            deserializers.put(feed, deserializer);
        }
    }

    /** A monitor of the configured cluster, with the configured expectations. */
    public static FeedFreshnessMonitor connect(final HubConfig config, final Clock clock) {
        return connect(config, FeedCatalog.of(config), clock);
    }

    /** A monitor of {@code catalog}'s feeds on the configured cluster, with the configured expectations. */
    public static FeedFreshnessMonitor connect(final HubConfig config, final FeedCatalog catalog, final Clock clock) {
        return new FeedFreshnessMonitor(KafkaClients.reader(config, "csp-hub-freshness-monitor"),
                config.serdeProperties(), FreshnessExpectations.from(config, catalog), clock);
    }

    /** Registers the per-feed gauges: newest event, last received, expectation and stale. */
    public FeedFreshnessMonitor bindTo(final MeterRegistry registry) {
        for (final Feed feed : expectations.feeds()) {
            Gauge.builder(MeterNames.NEWEST_EVENT, this, monitor -> epochSeconds(monitor.newestEvent.get(feed)))
                    .tag("feed", feed.slug()).description("Event time of the newest record on the raw topic")
                    .register(registry);
            Gauge.builder(MeterNames.LAST_RECEIVED, this, monitor -> epochSeconds(monitor.lastReceived.get(feed)))
                    .tag("feed", feed.slug()).description("When the hub accepted the newest record of the raw topic")
                    .register(registry);
            Gauge.builder(MeterNames.FRESHNESS_EXPECTATION, expectations,
                    value -> value.of(feed).toSeconds()).tag("feed", feed.slug())
                    .description("How often the feed is expected to bring a new record").register(registry);
            Gauge.builder(MeterNames.STALE, this, monitor -> monitor.freshness(feed).staleAt(clock.instant()) ? 1 : 0)
                    .tag("feed", feed.slug()).description("1 when the feed is later than its expectation")
                    .register(registry);
        }
        failures = Counter.builder(MeterNames.MONITOR_FAILURES).tag("monitor", "freshness").register(registry);
        return this;
    }

    /** Reads what was appended to the raw topics since the last refresh; logs and counts a failure instead of throwing. */
    public synchronized boolean refresh() {
        try {
            assignNewPartitions();
            final Map<TopicPartition, Long> ends = consumer.endOffsets(assigned.keySet());
            // bounded by the machine's clock, not the injected one, which a test may hold still
            final long deadline = System.nanoTime() + REFRESH_LIMIT.toNanos();
            while (!caughtUp(ends) && System.nanoTime() - deadline < 0) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    take(assigned.get(new TopicPartition(record.topic(), record.partition())), record);
                }
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Could not refresh the feeds' freshness: {}", e.toString());
            if (failures != null) {
                failures.increment();
            }
            return false;
        }
    }

    private void assignNewPartitions() {
        final List<TopicPartition> fresh = new ArrayList<>();
        for (final Feed feed : expectations.feeds()) {
            final List<PartitionInfo> partitions = consumer.partitionsFor(feed.rawTopic());
            if (partitions == null) {
                continue;
            }
            for (final PartitionInfo partition : partitions) {
                final TopicPartition topicPartition = new TopicPartition(partition.topic(), partition.partition());
                if (!assigned.containsKey(topicPartition)) {
                    assigned.put(topicPartition, feed);
                    fresh.add(topicPartition);
                }
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        consumer.assign(assigned.keySet());
        final Map<TopicPartition, Long> begins = consumer.beginningOffsets(fresh);
        final Map<TopicPartition, Long> ends = consumer.endOffsets(fresh);
        for (final TopicPartition partition : fresh) {
            consumer.seek(partition, Math.max(begins.get(partition), ends.get(partition) - TAIL));
        }
    }

    private boolean caughtUp(final Map<TopicPartition, Long> ends) {
        for (final Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void take(final Feed feed, final ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            // a retraction carries no times; it still shows the partner is sending
            lastReceived.merge(feed, Instant.ofEpochMilli(record.timestamp()), FeedFreshnessMonitor::later);
            return;
        }
        try {
            final IndexedRecord value = deserializers.get(feed).deserialize(record.topic(), record.value());
            RawRecordTimes.eventTime(feed, value).ifPresent(time -> newestEvent.merge(feed, time,
                    FeedFreshnessMonitor::later));
            lastReceived.merge(feed, RawRecordTimes.receivedAt(value).orElse(Instant.ofEpochMilli(record.timestamp())),
                    FeedFreshnessMonitor::later);
        } catch (SerializationException e) {
            LOG.debug("Skipping an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    private static Instant later(final Instant a, final Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static double epochSeconds(final Instant instant) {
        return instant == null ? Double.NaN : instant.toEpochMilli() / 1000.0;
    }

    /** The freshness of one feed as last refreshed. */
    public FeedFreshness freshness(final Feed feed) {
        return new FeedFreshness(feed, Optional.ofNullable(newestEvent.get(feed)),
                Optional.ofNullable(lastReceived.get(feed)), expectations.of(feed));
    }

    public Collection<FeedFreshness> all() {
        final List<FeedFreshness> all = new ArrayList<>();
        for (final Feed feed : expectations.feeds()) {
            all.add(freshness(feed));
        }
        return all;
    }

    @Override
    public synchronized void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
