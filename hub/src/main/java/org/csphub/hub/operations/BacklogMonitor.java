package org.csphub.hub.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.csphub.config.HubConfig;
import org.csphub.streams.MetricsApplication;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches what is waiting: each watched consumer group's lag per partition (and how far it has
 * committed, whose rate is its throughput), and how many records each feed's dead-letter topic holds.
 */
public final class BacklogMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BacklogMonitor.class);

    /** A consumer group and the topics it reads. */
    public record Watched(String group, List<String> topics) {

        public Watched {
            topics = List.copyOf(topics);
        }

        /** The metrics topologies' group (their application id) on the shipped feeds' raw topics. */
        public static Watched topologies() {
            return topologies(FeedCatalog.shipped());
        }

        /** The metrics topologies' group (their application id) on the raw topics of {@code catalog}'s feeds. */
        public static Watched topologies(final FeedCatalog catalog) {
            return new Watched(MetricsApplication.APPLICATION_ID, catalog.rawTopics());
        }
    }

    private final Admin admin;
    private final TopicOffsets offsets;
    private final List<Watched> watched;
    private final Map<String, ConsumerLag> lags = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> committed = new ConcurrentHashMap<>();
    private final Map<Feed, AtomicLong> deadLetters = new LinkedHashMap<>();
    private MultiGauge lagGauge;
    private Counter failures;

    BacklogMonitor(final Admin admin, final List<Watched> watched) {
        this(admin, watched, FeedCatalog.shipped());
    }

    BacklogMonitor(final Admin admin, final List<Watched> watched, final FeedCatalog catalog) {
        this.admin = admin;
        this.offsets = new TopicOffsets(admin);
        this.watched = List.copyOf(watched);
        for (final Feed feed : catalog.feeds()) {
            deadLetters.put(feed, new AtomicLong());
        }
        watched.forEach(group -> committed.put(group.group(), new AtomicLong()));
    }

    /** A monitor of the watched groups and of the dead letters of {@code catalog}'s feeds. */
    public static BacklogMonitor connect(final HubConfig config, final List<Watched> watched,
            final FeedCatalog catalog) {
        return new BacklogMonitor(KafkaClients.admin(config, "csp-hub-backlog-monitor"), watched, catalog);
    }

    public BacklogMonitor bindTo(final MeterRegistry registry) {
        lagGauge = MultiGauge.builder(MeterNames.CONSUMER_LAG)
                .description("End offset minus the group's committed offset").register(registry);
        for (final Watched group : watched) {
            FunctionCounter.builder(MeterNames.CONSUMER_COMMITTED, committed.get(group.group()), AtomicLong::get)
                    .tag("group", group.group()).description("Records the group has committed past")
                    .register(registry);
        }
        for (final Feed feed : deadLetters.keySet()) {
            Gauge.builder(MeterNames.DEAD_LETTERS, deadLetters.get(feed), AtomicLong::get).tag("feed", feed.slug())
                    .description("Records held by the feed's dead-letter topic").register(registry);
        }
        failures = Counter.builder(MeterNames.MONITOR_FAILURES).tag("monitor", "backlog").register(registry);
        return this;
    }

    /** Asks the cluster for the current offsets; logs and counts a failure instead of throwing. */
    public synchronized boolean refresh() {
        try {
            for (final Watched group : watched) {
                final ConsumerLag lag = ConsumerLag.measure(offsets, group.group(), group.topics());
                lags.put(group.group(), lag);
                committed.get(group.group()).set(lag.committedTotal());
                LOG.debug("{} is {} record(s) behind", group.group(), lag.total());
            }
            for (final Feed feed : deadLetters.keySet()) {
                deadLetters.get(feed).set(offsets.size(offsets.partitions(List.of(feed.deadLetterTopic()))));
            }
            publishLag();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("Could not refresh consumer lag and dead letters: {}", e.toString());
            if (failures != null) {
                failures.increment();
            }
            return false;
        }
    }

    /** Replaces the lag gauge's rows with the lag last measured (a partition that went away goes too). */
    void publishLag() {
        if (lagGauge == null) {
            return;
        }
        final List<MultiGauge.Row<?>> rows = new ArrayList<>();
        lags.values().forEach(lag -> lag.partitions().forEach(partition -> rows.add(MultiGauge.Row.of(
                Tags.of("group", lag.group(), "topic", partition.topic(),
                        "partition", Integer.toString(partition.partition())), partition.lag()))));
        lagGauge.register(rows, true);
    }

    /** Takes a measurement made elsewhere, as a refresh would. */
    void accept(final ConsumerLag lag) {
        lags.put(lag.group(), lag);
        committed.computeIfAbsent(lag.group(), group -> new AtomicLong()).set(lag.committedTotal());
        publishLag();
    }

    /** The lag of a watched group as last refreshed. */
    public ConsumerLag lag(final String group) {
        return lags.getOrDefault(group, new ConsumerLag(group, List.of()));
    }

    public long deadLetters(final Feed feed) {
        return deadLetters.get(feed).get();
    }

    @Override
    public void close() {
        admin.close();
    }
}
