package org.csphub.hub.operations;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a sink is behind on the metric topics, partition by partition: the read_committed end offset
 * minus the next offset the sink has stored with its rows (minus the beginning offset where it has
 * stored none). The topologies write the metric topics in transactions, and a transaction's commit
 * marker takes an offset of each partition it wrote: a sink that has caught up stores the end offset
 * and is 0 behind, while a transaction it has not read yet counts its records plus its marker.
 */
public record SinkLag(String sink, List<ConsumerLag.PartitionLag> partitions) {

    public SinkLag {
        partitions = List.copyOf(partitions);
    }

    public long total() {
        return partitions.stream().mapToLong(ConsumerLag.PartitionLag::lag).sum();
    }

    /** The lag of a sink whose stored positions are {@code positions}, against the cluster's offsets now. */
    static SinkLag measure(final TopicOffsets offsets, final String sink, final List<String> topics,
            final Map<TopicPartition, Long> positions) throws InterruptedException, ExecutionException,
            TimeoutException {
        final List<TopicPartition> partitions = offsets.partitions(topics);
        return of(sink, partitions, offsets.committedEnds(partitions), offsets.beginnings(partitions), positions);
    }

    static SinkLag of(final String sink, final List<TopicPartition> partitions, final Map<TopicPartition, Long> ends,
            final Map<TopicPartition, Long> beginnings, final Map<TopicPartition, Long> positions) {
        return new SinkLag(sink, ConsumerLag.lags(partitions, ends, beginnings, positions));
    }
}
