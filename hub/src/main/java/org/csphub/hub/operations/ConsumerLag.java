package org.csphub.hub.operations;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;

/**
 * How far one consumer group is behind on its input topics, partition by partition: the end offset
 * minus the group's committed offset (minus the beginning offset where the group has committed
 * nothing yet, since it would then start from the beginning, or committed an offset that retention
 * has since removed).
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
        return new ConsumerLag(group, lags(partitions, offsets.ends(partitions), offsets.beginnings(partitions),
                offsets.committed(group)));
    }

    /**
     * Each partition's lag: its end offset minus the reader's position there, or minus its beginning
     * offset where the reader has no position (it would start from the beginning) or a position before
     * the beginning (the records in between are gone); never below zero.
     *
     * @param positions the next offset the reader will read, by partition; a partition may be missing
     */
    static List<PartitionLag> lags(final List<TopicPartition> partitions, final Map<TopicPartition, Long> ends,
            final Map<TopicPartition, Long> beginnings, final Map<TopicPartition, Long> positions) {
        return partitions.stream().map(partition -> {
            final long end = ends.get(partition);
            final long beginning = beginnings.getOrDefault(partition, 0L);
            final Long position = positions.get(partition);
            final long from = position == null ? beginning : Math.max(position, beginning);
            return new PartitionLag(partition.topic(), partition.partition(), position == null ? -1 : position, end,
                    Math.max(0, end - from));
        }).toList();
    }
}
