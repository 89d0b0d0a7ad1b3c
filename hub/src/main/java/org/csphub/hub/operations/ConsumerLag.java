package org.csphub.hub.operations;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;

/**
 * How far one consumer group is behind on its input topics, partition by partition: the end offset
 * minus the group's committed offset (minus the beginning offset where the group has committed
 * nothing yet, since it would then start from the beginning).
 */
public record ConsumerLag(String group, List<PartitionLag> partitions) {

    public ConsumerLag {
        partitions = List.copyOf(partitions);
    }

    /** One partition's lag and the group's committed offset there (-1 when none). */
    public record PartitionLag(String topic, int partition, long committed, long end, long lag) {
    }

    public long total() {
        return partitions.stream().mapToLong(PartitionLag::lag).sum();
    }

    /** Records the group has committed past, over all partitions. */
    public long committedTotal() {
        return partitions.stream().mapToLong(partition -> Math.max(0, partition.committed())).sum();
    }

    static ConsumerLag measure(final TopicOffsets offsets, final String group, final List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        final List<TopicPartition> partitions = offsets.partitions(topics);
        final Map<TopicPartition, Long> ends = offsets.ends(partitions);
        final Map<TopicPartition, Long> begins = offsets.beginnings(partitions);
        final Map<TopicPartition, Long> committed = offsets.committed(group);
        return new ConsumerLag(group, partitions.stream().map(partition -> {
            final long end = ends.get(partition);
            final Long position = committed.get(partition);
            final long from = position == null ? begins.get(partition) : position;
            return new PartitionLag(partition.topic(), partition.partition(), position == null ? -1 : position, end,
                    Math.max(0, end - from));
        }).toList());
    }
}
