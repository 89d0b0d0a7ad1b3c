package org.csphub.sinks.snapshot;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.csphub.disclosure.MetricCell;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.serde.AvroDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the metric topics from the beginning to the end they had when reading started, keeping the
 * latest value of every key (a tombstone removes it). Reads committed records only, since the
 * topologies write in transactions.
 */
public final class MetricSnapshotReader {

    private static final Logger LOG = LoggerFactory.getLogger(MetricSnapshotReader.class);

    private final List<String> topics;
    private final Map<String, Object> consumerProperties;
    private final Map<String, Object> serdeProperties;
    private final Clock clock;

    public MetricSnapshotReader(final List<String> topics, final Map<String, Object> consumerProperties,
            final Map<String, Object> serdeProperties, final Clock clock) {
        this.topics = List.copyOf(topics);
        this.consumerProperties = Map.copyOf(consumerProperties);
        this.serdeProperties = Map.copyOf(serdeProperties);
        this.clock = clock;
    }

    /** The snapshot; topics that do not exist yet count as empty. */
    public MetricSnapshot read(final Duration timeout) throws TimeoutException {
        final Map<String, Object> properties = new HashMap<>(consumerProperties);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        final Deserializer<AreaMetricKey> keys = new AvroDeserializer<>(AreaMetricKey.class);
        keys.configure(serdeProperties, true);
        final Deserializer<AreaMetric> values = new AvroDeserializer<>(AreaMetric.class);
        values.configure(serdeProperties, false);
        final long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final String topic : topics) {
                final List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
                if (infos == null || infos.isEmpty()) {
                    LOG.warn("The metric topic {} does not exist; reading it as empty", topic);
                    continue;
                }
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            final Map<MetricCell, AreaMetric> latest = new LinkedHashMap<>();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("Reading the metric topics to their end took longer than "
                            + timeout.toSeconds() + " s");
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        final AreaMetricKey key = keys.deserialize(record.topic(), record.key());
                        if (key == null) {
                            continue;
                        }
                        final AreaMetric value = values.deserialize(record.topic(), record.value());
                        final MetricCell cell = MetricCell.of(key);
                        latest.remove(cell);
                        if (value != null) {
                            latest.put(cell, value);
                        }
                    } catch (SerializationException e) {
                        LOG.warn("Skipping an unreadable record at {}-{} offset {}: {}", record.topic(),
                                record.partition(), record.offset(), e.getMessage());
                    }
                }
            }
            LOG.info("Read {} metric values from {} up to {}", latest.size(), topics, end);
            return new MetricSnapshot(new ArrayList<>(latest.values()), end, clock.instant());
        }
    }

    private static boolean reached(final KafkaConsumer<byte[], byte[]> consumer,
            final Map<TopicPartition, Long> end) {
        for (final Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }
}
