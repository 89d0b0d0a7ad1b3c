package org.csphub.hub.operations;

import java.time.Instant;
import java.util.ArrayList;
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
import org.apache.kafka.common.KafkaFuture;
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

    /**
     * The partitions' beginning and end offsets, and the first offset at or after each of {@code times}
     * (the end offset where there is none), asked of the cluster together: every request is sent before
     * any answer is awaited.
     */
    Snapshot snapshot(final Collection<TopicPartition> partitions, final List<Instant> times)
            throws InterruptedException, ExecutionException, TimeoutException {
        final List<OffsetSpec> specs = new ArrayList<>(List.of(OffsetSpec.earliest(), OffsetSpec.latest()));
        times.forEach(time -> specs.add(OffsetSpec.forTimestamp(time.toEpochMilli())));
        final List<KafkaFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>>> asked = new ArrayList<>();
        for (final OffsetSpec spec : specs) {
            asked.add(partitions.isEmpty() ? KafkaFuture.completedFuture(Map.of())
                    : admin.listOffsets(request(partitions, spec)).all());
        }
        final List<Map<TopicPartition, Long>> answers = new ArrayList<>();
        for (final KafkaFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> answer : asked) {
            final Map<TopicPartition, Long> offsets = new HashMap<>();
            answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((partition, info) -> offsets.put(partition,
                    info.offset()));
            answers.add(offsets);
        }
        final Map<TopicPartition, Long> ends = answers.get(1);
        final List<Map<TopicPartition, Long>> at = new ArrayList<>();
        for (final Map<TopicPartition, Long> found : answers.subList(2, answers.size())) {
            final Map<TopicPartition, Long> offsets = new HashMap<>();
            partitions.forEach(partition -> {
                final long offset = found.getOrDefault(partition, -1L);
                offsets.put(partition, offset < 0 ? ends.get(partition) : offset);
            });
            at.add(offsets);
        }
        return new Snapshot(answers.get(0), ends, at);
    }

    /** How many records the partitions hold now. */
    long size(final Collection<TopicPartition> partitions) throws InterruptedException, ExecutionException,
            TimeoutException {
        return snapshot(partitions, List.of()).size(partitions);
    }

    /**
     * Offsets of a set of partitions at one moment: where each begins and ends, and where each of the
     * times asked for ({@link #snapshot}, in that order) falls.
     */
    record Snapshot(Map<TopicPartition, Long> beginnings, Map<TopicPartition, Long> ends,
            List<Map<TopicPartition, Long>> at) {

        /** How many records the partitions hold. */
        long size(final Collection<TopicPartition> partitions) {
            return partitions.stream().mapToLong(partition -> ends.get(partition) - beginnings.get(partition)).sum();
        }

        /** How many records of the partitions were appended at or after the {@code time}-th time asked for. */
        long countSince(final Collection<TopicPartition> partitions, final int time) {
            return partitions.stream().mapToLong(partition -> ends.get(partition) - at.get(time).get(partition))
                    .sum();
        }

        /** Where the {@code time}-th time asked for falls in each of the partitions. */
        Map<TopicPartition, Long> at(final Collection<TopicPartition> partitions, final int time) {
            final Map<TopicPartition, Long> offsets = new HashMap<>();
            partitions.forEach(partition -> offsets.put(partition, at.get(time).get(partition)));
            return offsets;
        }
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
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer = admin.listOffsets(
                request(partitions, spec), options).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        final Map<TopicPartition, Long> result = new HashMap<>();
        answer.forEach((partition, info) -> result.put(partition, info.offset()));
        return result;
    }

    private static Map<TopicPartition, OffsetSpec> request(final Collection<TopicPartition> partitions,
            final OffsetSpec spec) {
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        return request;
    }
}
