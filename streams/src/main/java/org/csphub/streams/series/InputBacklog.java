package org.csphub.streams.series;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether an application's consumers still have records to fetch on an input partition, from their
 * own {@code records-lag} fetch metrics. A holding stage asks it before it takes a silent input for
 * the end of a backlog: inside a backlog a task can go a second without a record while its thread
 * works on other tasks, and only the lag tells that more is waiting. Where no consumer reports (a
 * test driver), nothing is behind.
 */
public final class InputBacklog {

    private static final Map<String, InputBacklog> APPLICATIONS = new ConcurrentHashMap<>();
    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";
    private static final String LAG = "records-lag";
    private static final long REFRESH_MS = 250;

    private final Collection<Supplier<Map<MetricName, ? extends Metric>>> sources = new CopyOnWriteArrayList<>();
    private Map<String, Double> lags = Map.of();
    private long readAt = Long.MIN_VALUE;

    /** The backlog of the application {@code applicationId} in this JVM (one for every instance of it). */
    public static InputBacklog of(final String applicationId) {
        return APPLICATIONS.computeIfAbsent(applicationId, id -> new InputBacklog());
    }

    /** Reads the lag from a running instance's metrics ({@code KafkaStreams::metrics}) until {@link #forget}. */
    public void watch(final Supplier<Map<MetricName, ? extends Metric>> metrics) {
        sources.add(metrics);
    }

    public void forget(final Supplier<Map<MetricName, ? extends Metric>> metrics) {
        sources.remove(metrics);
    }

    /** Whether any of {@code partitions} has records its consumer has not fetched yet. */
    public synchronized boolean behind(final Collection<TopicPartition> partitions, final long now) {
        if (sources.isEmpty() || partitions.isEmpty()) {
            return false;
        }
        if (now - readAt >= REFRESH_MS) {
            lags = read();
            readAt = now;
        }
        return partitions.stream().anyMatch(partition -> lags.getOrDefault(key(partition.topic(),
                String.valueOf(partition.partition())), 0.0) > 0);
    }

    private Map<String, Double> read() {
        final Map<String, Double> read = new HashMap<>();
        for (final Supplier<Map<MetricName, ? extends Metric>> source : sources) {
            source.get().forEach((name, metric) -> {
                if (LAG.equals(name.name()) && FETCH_GROUP.equals(name.group()) && name.tags().containsKey("partition")
                        && metric.metricValue() instanceof Double lag && !lag.isNaN()) {
                    read.merge(key(name.tags().get("topic"), name.tags().get("partition")), lag, Math::max);
                }
            });
        }
        return read;
    }

    /** Topic and partition as the fetch metrics name them (a topic's dots may be written as underscores). */
    private static String key(final String topic, final String partition) {
        return topic.replace('.', '_') + "#" + partition;
    }
}
