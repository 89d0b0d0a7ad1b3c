package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EndToEndLatencyMonitorTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    @Timeout(30)
    void shouldRecordArrivalMinusTheMetricRecordsTimestamp() throws Exception {
        final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        final Node node = new Node(0, "localhost", 9092);
        final TopicPartition partition = new TopicPartition("csp.metrics.asb", 0);
        for (final String topic : FeedCatalog.shipped().metricTopics()) {
            consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, node, new Node[] {node},
                    new Node[] {node})));
            consumer.updateBeginningOffsets(Map.of(new TopicPartition(topic, 0), 0L));
            consumer.updateEndOffsets(Map.of(new TopicPartition(topic, 0), 0L));
        }
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(partition, 0, NOW.minusMillis(2500)));
            consumer.addRecord(record(partition, 1, NOW.minusMillis(500)));
        });
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final EndToEndLatencyMonitor monitor = new EndToEndLatencyMonitor(consumer, new SettableClock(NOW))
                .bindTo(registry);
        final Thread thread = new Thread(monitor, "latency-monitor-test");
        thread.start();
        final Timer timer = registry.get(MeterNames.END_TO_END_LATENCY).tag("topic", "csp.metrics.asb").timer();
        await("the monitor to time both records").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> timer.count() >= 2);
        monitor.close();
        thread.join(Duration.ofSeconds(10));

        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3000.0);
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(2500.0);
        assertThat(thread.isAlive()).isFalse();
    }

    private static ConsumerRecord<byte[], byte[]> record(final TopicPartition partition, final long offset,
            final Instant timestamp) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, timestamp.toEpochMilli(),
                TimestampType.CREATE_TIME, 0, 0, new byte[0], new byte[0], new RecordHeaders(), Optional.empty());
    }
}
