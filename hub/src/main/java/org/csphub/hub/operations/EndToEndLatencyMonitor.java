package org.csphub.hub.operations;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.csphub.config.HubConfig;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures end-to-end latency from the metric topics alone. Kafka Streams gives an output record the
 * timestamp of the input record that caused it, and the raw topics carry the producer's send time,
 * so "arrival here minus the metric record's timestamp" is the time from a partner row's append to
 * its metric's arrival, plus this consumer's own delay (at most one poll). Records the topologies
 * emit from a punctuation or a repartition carry the same input timestamp, so they count the same.
 */
public final class EndToEndLatencyMonitor implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EndToEndLatencyMonitor.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration REASSIGN = Duration.ofSeconds(30);

    private final Consumer<byte[], byte[]> consumer;
    private final Clock clock;
    private final List<String> metricTopics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private MeterRegistry registry;
    private volatile boolean running = true;

    /** A monitor of the shipped feeds' metric topics. */
    EndToEndLatencyMonitor(final Consumer<byte[], byte[]> consumer, final Clock clock) {
        this(consumer, clock, FeedCatalog.shipped());
    }

    /** A monitor of the metric topics of {@code catalog}'s families. */
    EndToEndLatencyMonitor(final Consumer<byte[], byte[]> consumer, final Clock clock, final FeedCatalog catalog) {
        this.consumer = consumer;
        this.clock = clock;
        this.metricTopics = catalog.metricTopics();
    }

    public static EndToEndLatencyMonitor connect(final HubConfig config, final FeedCatalog catalog, final Clock clock) {
        return new EndToEndLatencyMonitor(KafkaClients.reader(config, "csp-hub-latency-monitor"), clock, catalog);
    }

    public EndToEndLatencyMonitor bindTo(final MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
        metricTopics.forEach(this::timer);
        return this;
    }

    private Timer timer(final String topic) {
        return timers.computeIfAbsent(topic, name -> Timer.builder(MeterNames.END_TO_END_LATENCY).tag("topic", name)
                .description("From a raw record's append to its metric's arrival on the metric topic")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(30)).register(registry));
    }

    /** Polls the metric topics from their end until closed; the newest records only, never history. */
    @Override
    public void run() {
        long nextAssign = System.nanoTime();
        try {
            while (running) {
                if (System.nanoTime() - nextAssign >= 0) {
                    assignNewPartitions();
                    nextAssign = System.nanoTime() + REASSIGN.toNanos();
                }
                if (consumer.assignment().isEmpty()) {
                    waitBriefly();
                    continue;
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    final long latency = clock.millis() - record.timestamp();
                    if (latency >= 0) {
                        timer(record.topic()).record(latency, TimeUnit.MILLISECONDS);
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.warn("The end-to-end latency monitor stopped: {}", e.toString());
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void waitBriefly() {
        synchronized (this) {
            try {
                // woken at once by close()
                wait(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void assignNewPartitions() {
        final List<TopicPartition> all = new ArrayList<>(consumer.assignment());
        final List<TopicPartition> fresh = new ArrayList<>();
        for (final String topic : metricTopics) {
            final List<PartitionInfo> partitions = consumer.partitionsFor(topic);
            if (partitions == null) {
                continue;
            }
            for (final PartitionInfo info : partitions) {
                final TopicPartition partition = new TopicPartition(info.topic(), info.partition());
                if (!all.contains(partition)) {
                    all.add(partition);
                    fresh.add(partition);
                }
            }
        }
        if (!fresh.isEmpty()) {
            consumer.assign(all);
            consumer.seekToEnd(fresh);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        synchronized (this) {
            notifyAll();
        }
    }
}
