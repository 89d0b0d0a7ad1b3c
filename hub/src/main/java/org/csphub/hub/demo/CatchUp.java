package org.csphub.hub.demo;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.csphub.streams.MetricsApplication;
import org.csphub.streams.series.Coalescing;

/** Waits for a consumer of the hub's topics to have read everything there is, with a deadline. */
public final class CatchUp {

    /**
     * How long the topologies must stay caught up (no lag, nothing held back, no new output) to be done:
     * long enough for every holding stage to have recorded its hold metric after the group's last
     * commit, whose records it may hold.
     */
    static final Duration QUIET = Coalescing.CHECK_INTERVAL.multipliedBy(20);

    private final Admin admin;

    public CatchUp(final Admin admin) {
        this.admin = admin;
    }

    /** Records a consumer group has not committed yet: on the topics asked about, and on its internal topics. */
    public record Lag(long raw, long internal) {

        public long total() {
            return raw + internal;
        }
    }

    /**
     * What consumer group {@code group} has not committed yet: on {@code topics}, and on every other
     * topic it has committed offsets for (a topology's repartition topics).
     */
    Lag lag(final String group, final Collection<String> topics) throws Exception {
        final Set<String> all = new java.util.HashSet<>(topics);
        // a topology's internal topics count from their first record even before it has committed on them
        admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(topic -> topic.startsWith(group + "-") && (topic.endsWith("-repartition")
                        || topic.endsWith("-registration-topic") || topic.endsWith("-response-topic")))
                .forEach(all::add);
        final Map<TopicPartition, Long> ends = endOffsets(all);
        final Map<TopicPartition, OffsetAndMetadata> committed = admin
                .listConsumerGroupOffsets(Map.of(group, new ListConsumerGroupOffsetsSpec()
                        .topicPartitions(Set.copyOf(ends.keySet()))))
                .partitionsToOffsetAndMetadata(group).get(30, TimeUnit.SECONDS);
        long raw = 0;
        long internal = 0;
        for (final Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            final OffsetAndMetadata offset = committed.get(end.getKey());
            final long behind = Math.max(0, end.getValue() - (offset == null ? 0 : offset.offset()));
            if (topics.contains(end.getKey().topic())) {
                raw += behind;
            } else {
                internal += behind;
            }
        }
        return new Lag(raw, internal);
    }

    /**
     * Waits until {@code group} has committed to the end of {@code topics} and of its internal topics,
     * {@code settled} says the topologies hold nothing back ({@link MetricsApplication#settled()}: they
     * are RUNNING and no stage holds a change), and {@code outputs} have stopped growing, all through
     * {@link #QUIET}. An instance that rebalances or restores its stores after a fenced transaction
     * writes nothing for a while, and has not caught up.
     */
    public void awaitGroup(final String group, final Collection<String> topics, final Collection<String> outputs,
            final BooleanSupplier settled, final Duration timeout, final Consumer<Lag> progress) throws Exception {
        final long end = System.nanoTime() + timeout.toNanos();
        long quietSince = -1;
        long written = -1;
        while (quietSince < 0 || System.nanoTime() - quietSince < QUIET.toNanos()) {
            final Lag lag = lag(group, topics);
            final long nowWritten = outputs.isEmpty() ? 0
                    : endOffsets(outputs).values().stream().mapToLong(Long::longValue).sum();
            if (lag.total() != 0 || nowWritten != written || !settled.getAsBoolean()) {
                quietSince = -1;
            } else if (quietSince < 0) {
                quietSince = System.nanoTime();
            }
            written = nowWritten;
            progress.accept(lag);
            if (System.nanoTime() > end) {
                throw new TimeoutException(group + " still had " + lag.total() + " records to read after "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(QUIET.toMillis() / 4); // back-off between offset checks
        }
    }

    /** The end offset of every partition of {@code topics}. */
    public Map<TopicPartition, Long> endOffsets(final Collection<String> topics) throws Exception {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().forEach(description ->
                description.partitions().forEach(partition -> latest.put(
                        new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest())));
        final Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /** Waits until {@code condition} holds. */
    public static void await(final String what, final BooleanSupplier condition, final Duration timeout)
            throws InterruptedException, TimeoutException {
        final long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new TimeoutException("Waited " + timeout.toSeconds() + " s for " + what);
            }
            Thread.sleep(250); // back-off between checks
        }
    }
}
