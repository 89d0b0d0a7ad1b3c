package org.csphub.sinks.snapshot;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.csphub.metrics.AreaMetric;

/**
 * The latest value of every key of the metric topics at one moment, and the offsets it was read up
 * to (the next offset of each partition), so that an output can say exactly which input it reflects.
 */
public record MetricSnapshot(List<AreaMetric> metrics, Map<TopicPartition, Long> offsets, Instant readAt) {

    public MetricSnapshot {
        metrics = List.copyOf(metrics);
        offsets = Map.copyOf(offsets);
    }
}
