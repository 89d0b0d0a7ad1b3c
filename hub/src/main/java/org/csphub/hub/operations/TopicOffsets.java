package org.csphub.hub.operations;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/** Offsets of topics and consumer groups, asked of the cluster through an admin client. */
final class TopicOffsets {

    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;

    TopicOffsets(final Admin admin) {
        this.admin = admin;
    }

    /** The partitions of the topics that exist; a missing topic has none. */
    List<TopicPartition> partitions(final Collection<String> topics) throws InterruptedException, ExecutionException,
            TimeoutException {
        final List<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                .filter(topics::contains).toList();
        if (existing.isEmpty()) {
            return List.of();
        }
        final Map<String, TopicDescription> descriptions = admin.describeTopics(existing).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return descriptions.values().stream().flatMap(description -> description.partitions().stream()
                .map((TopicPartitionInfo partition) -> new TopicPartition(description.name(), partition.partition())))
                .sorted((a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                        : a.topic().compareTo(b.topic()))
                .toList();
    }

    Map<TopicPartition, Long> ends(final Collection<TopicPartition> partitions) throws InterruptedException,
            ExecutionException, TimeoutException {
        return offsets(partitions, OffsetSpec.latest());
    }

    /**
     * The end offsets a read_committed consumer sees (the last stable offset): before any transaction
     * still open, and past the commit marker of the last one committed.
     */
    Map<TopicPartition, Long> committedEnds(final Collection<TopicPartition> partitions) throws InterruptedException,
            ExecutionException, TimeoutException {
        return offsets(partitions, OffsetSpec.latest(), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
    }

    Map<TopicPartition, Long> beginnings(final Collection<TopicPartition> partitions) throws InterruptedException,
            ExecutionException, TimeoutException {
        return offsets(partitions, OffsetSpec.earliest());
    }

    /** The offset of the first record at or after {@code time} in each partition; the end offset when there is none. */
    Map<TopicPartition, Long> at(final Collection<TopicPartition> partitions, final Instant time)
            throws InterruptedException, ExecutionException, TimeoutException {
        final Map<TopicPartition, Long> found = offsets(partitions, OffsetSpec.forTimestamp(time.toEpochMilli()));
        final Map<TopicPartition, Long> ends = ends(partitions);
        final Map<TopicPartition, Long> result = new HashMap<>();
        partitions.forEach(partition -> {
            final long offset = found.getOrDefault(partition, -1L);
            result.put(partition, offset < 0 ? ends.get(partition) : offset);
        });
        return result;
    }

    /** How many records of the partitions were appended at or after {@code time} (by record timestamp). */
    long countSince(final Collection<TopicPartition> partitions, final Instant time) throws InterruptedException,
            ExecutionException, TimeoutException {
        final Map<TopicPartition, Long> from = at(partitions, time);
        final Map<TopicPartition, Long> ends = ends(partitions);
        return partitions.stream().mapToLong(partition -> ends.get(partition) - from.get(partition)).sum();
    }

    /** How many records the partitions hold now. */
    long size(final Collection<TopicPartition> partitions) throws InterruptedException, ExecutionException,
            TimeoutException {
        final Map<TopicPartition, Long> begins = beginnings(partitions);
        final Map<TopicPartition, Long> ends = ends(partitions);
        return partitions.stream().mapToLong(partition -> ends.get(partition) - begins.get(partition)).sum();
    }

    /** The group's committed offsets; empty when the group has never committed. */
    Map<TopicPartition, Long> committed(final String group) throws InterruptedException, ExecutionException,
            TimeoutException {
        final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        final Map<TopicPartition, Long> result = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                result.put(partition, offset.offset());
            }
        });
        return result;
    }

    private Map<TopicPartition, Long> offsets(final Collection<TopicPartition> partitions, final OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        return offsets(partitions, spec, new ListOffsetsOptions());
    }

    private Map<TopicPartition, Long> offsets(final Collection<TopicPartition> partitions, final OffsetSpec spec,
            final ListOffsetsOptions options) throws InterruptedException, ExecutionException, TimeoutException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer = admin.listOffsets(request, options).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        final Map<TopicPartition, Long> result = new HashMap<>();
        answer.forEach((partition, info) -> result.put(partition, info.offset()));
        return result;
    }
}
