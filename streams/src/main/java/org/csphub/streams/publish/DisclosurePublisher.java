package org.csphub.streams.publish;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.disclosure.MetricCell;
import org.csphub.disclosure.PublicationScope;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.PeriodType;
import org.csphub.streams.series.Coalescing;
import org.csphub.streams.series.HoldMetric;
import org.csphub.streams.series.MetricEmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A family's last stage: its metrics after disclosure control, for the research group's topic and
 * the query routes. It reads the family's metric topic back and keeps the latest value of every
 * metric of its period types (the metric topic is partitioned by period type, so a period and the
 * periods it is compared with are all here), notes which {@link PublicationScope}s changed, and when {@link Coalescing} says so works
 * out those scopes again from their whole context and forwards what differs from what it published
 * before (a tombstone for a metric that is gone). Secondary suppression needs the whole of a
 * scope, so no published value is worked out from part of one.
 *
 * <p>Working a scope out again costs milliseconds, and it runs on the stream thread that also
 * computes the metrics, so the publisher spends at most {@link #WORK_PER_CHECK} of each check on it
 * (at least one scope), goes on at the next checks until every noted scope is done, and starts a new
 * pass at most every {@link #TRICKLE_INTERVAL} while the input is a trickle, and while it keeps
 * coming at most every {@link #MAX_DELAY}: the research group's view follows the operator's by
 * seconds, and the metrics' own latency does not pay for it. The changed scopes are kept in a
 * store, so a crash before they were worked out loses none.
 */
public final class DisclosurePublisher implements Processor<AreaMetricKey, AreaMetric, AreaMetricKey, AreaMetric> {

    private static final Logger LOG = LoggerFactory.getLogger(DisclosurePublisher.class);
    private static final char SEPARATOR = '\u001f';
    /** A pass of at least this many scopes is logged: a backlog was coalesced. */
    private static final int LOGGED_RELEASE = 50;
    /** How much of one check the publisher spends working scopes out (it always does at least one). */
    public static final Duration WORK_PER_CHECK = Duration.ofMillis(20);
    /** The shortest time between two passes while the input is a fresh trickle. */
    public static final Duration TRICKLE_INTERVAL = Duration.ofSeconds(5);
    /** The longest a changed scope waits while the input keeps coming without a pause. */
    public static final Duration MAX_DELAY = Coalescing.MAX_DELAY.multipliedBy(4);

    private final DisclosureControl disclosure;
    private final Optional<Set<String>> counts;
    private final String inputStoreName;
    private final String pendingStoreName;
    private final String publishedStoreName;
    private ProcessorContext<AreaMetricKey, AreaMetric> context;
    private KeyValueStore<String, AreaMetric> input;
    private KeyValueStore<String, String> pending;
    private KeyValueStore<String, AreaMetric> published;
    private Coalescing coalescing;
    private HoldMetric holdMetric;
    private boolean passing;
    /** The periods the pass under way has still to work out. */
    private final Deque<String> passQueue = new ArrayDeque<>();
    private long lastPass = Long.MIN_VALUE / 2;
    private int passScopes;
    private int passUpdates;

    /**
     * @param family             the family whose metrics it publishes
     * @param inputStoreName     the store of every metric's latest value
     * @param pendingStoreName   the store of the scopes to work out again
     * @param publishedStoreName the store of every published value (queried)
     */
    public DisclosurePublisher(final DisclosureControl disclosure, final String family, final String inputStoreName,
            final String pendingStoreName, final String publishedStoreName) {
        this.disclosure = disclosure;
        this.counts = disclosure.countsOf(family);
        this.inputStoreName = inputStoreName;
        this.pendingStoreName = pendingStoreName;
        this.publishedStoreName = publishedStoreName;
    }

    /**
     * The key a metric is stored and repartitioned under: period type, period, then the rest of its
     * key, so that one scope's metrics are one prefix.
     */
    public static String storeKey(final MetricCell cell) {
        return scopePrefix(cell.periodType(), cell.period()) + cell.metric() + SEPARATOR + nullToEmpty(cell.dimension())
                + SEPARATOR + nullToEmpty(cell.dimensionValue()) + SEPARATOR + cell.areaType().name() + SEPARATOR
                + cell.areaCode();
    }

    /** The prefix of the store keys of one period. */
    public static String scopePrefix(final PeriodType type, final String period) {
        return type.name() + SEPARATOR + period + SEPARATOR;
    }

    /** The prefix of the store keys of one period type. */
    public static String periodTypePrefix(final PeriodType type) {
        return type.name() + SEPARATOR;
    }

    @Override
    public void init(final ProcessorContext<AreaMetricKey, AreaMetric> context) {
        this.context = context;
        this.input = context.getStateStore(inputStoreName);
        this.pending = context.getStateStore(pendingStoreName);
        this.published = context.getStateStore(publishedStoreName);
        this.coalescing = new Coalescing();
        this.holdMetric = HoldMetric.of(context, publishedStoreName);
        try (KeyValueIterator<String, String> all = pending.all()) {
            if (all.hasNext()) {
                coalescing.held(context.currentSystemTimeMs());
            }
        }
        context.schedule(Coalescing.CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    @Override
    public void process(final Record<AreaMetricKey, AreaMetric> record) {
        if (record.key() == null) {
            return;
        }
        final long now = context.currentSystemTimeMs();
        coalescing.arrived(record.timestamp(), now);
        final MetricCell cell = MetricCell.of(record.key());
        if (record.value() == null) {
            input.delete(storeKey(cell));
        } else {
            input.put(storeKey(cell), record.value());
        }
        final PublicationScope scope = PublicationScope.of(cell);
        for (final PublicationScope affected : scope.affected()) {
            pending.put(scopePrefix(affected.periodType(), affected.period()), "");
        }
        coalescing.held(now);
    }

    private void check(final long now) {
        pass(now);
        holdMetric.record(Math.max(coalescing.heldFor(now), passing ? Math.max(1, now - lastPass) : 0));
    }

    @Override
    public void close() {
        holdMetric.close();
    }

    /** Starts a pass when one is due, and goes on with the pass under way for one check's work. */
    private void pass(final long now) {
        if (!passing) {
            final Coalescing.Release release = coalescing.due(now);
            final boolean due = switch (release) {
                case NOT_YET -> false;
                case PAUSE -> true;
                case TRICKLE -> now - lastPass >= TRICKLE_INTERVAL.toMillis();
                case MAX_DELAY -> coalescing.heldFor(now) >= MAX_DELAY.toMillis();
            };
            if (!due) {
                return;
            }
            passing = true;
            lastPass = now;
            passScopes = 0;
            passUpdates = 0;
            // the pass works out the periods noted until now; what arrives from here on is noted
            // again and waits for the next pass, so a period is worked out once per pass however
            // often its metrics change meanwhile
            try (KeyValueIterator<String, String> all = pending.all()) {
                all.forEachRemaining(scope -> passQueue.add(scope.key));
            }
            coalescing.released();
        }
        final long start = System.nanoTime();
        while (!passQueue.isEmpty()) {
            final String scope = passQueue.poll();
            passUpdates += publish(scope, now);
            pending.delete(scope);
            passScopes++;
            if (System.nanoTime() - start >= WORK_PER_CHECK.toNanos()) {
                return;
            }
        }
        passing = false;
        if (passScopes >= LOGGED_RELEASE) {
            LOG.info("{} worked out {} periods again: {} published updates", publishedStoreName, passScopes,
                    passUpdates);
        }
    }

    /** Works out one scope's published values and forwards those that changed; returns how many. */
    private int publish(final String scopePrefix, final long now) {
        final String[] parts = scopePrefix.split(String.valueOf(SEPARATOR), -1);
        final PublicationScope scope = new PublicationScope(null, PeriodType.valueOf(parts[0]), parts[1]);
        final List<AreaMetric> context = new ArrayList<>();
        for (final PublicationScope around : scope.context()) {
            final String prefix = scopePrefix(around.periodType(), around.period());
            if (around.period().equals(scope.period()) || counts.isEmpty()) {
                read(input, prefix, context);
            } else {
                // of the periods it is compared with, only the counts bear on what the scope shows: the
                // groups of a period are made of counts, and its changes are built on the counts before
                counts.get().forEach(count -> read(input, prefix + count + SEPARATOR, context));
            }
        }
        final Map<String, AreaMetric> wanted = new HashMap<>();
        for (final AreaMetric metric : disclosure.apply(context)) {
            final MetricCell cell = MetricCell.of(metric);
            if (cell.periodType() == scope.periodType() && cell.period().equals(scope.period())) {
                wanted.put(storeKey(cell), metric);
            }
        }
        final List<KeyValue<String, AreaMetric>> before = new ArrayList<>();
        try (KeyValueIterator<String, AreaMetric> values = published.prefixScan(scopePrefix, new StringSerializer())) {
            values.forEachRemaining(before::add);
        }
        int updates = 0;
        final Set<String> seen = new LinkedHashSet<>();
        for (final KeyValue<String, AreaMetric> earlier : before) {
            seen.add(earlier.key);
            final AreaMetric latest = wanted.get(earlier.key);
            if (latest == null) {
                published.delete(earlier.key);
                forward(MetricCell.of(earlier.value), null, now);
                updates++;
            } else if (!MetricEmitter.sameValue(earlier.value, latest)) {
                published.put(earlier.key, latest);
                forward(MetricCell.of(latest), latest, now);
                updates++;
            }
        }
        for (final Map.Entry<String, AreaMetric> metric : wanted.entrySet()) {
            if (!seen.contains(metric.getKey())) {
                published.put(metric.getKey(), metric.getValue());
                forward(MetricCell.of(metric.getValue()), metric.getValue(), now);
                updates++;
            }
        }
        return updates;
    }

    private void forward(final MetricCell cell, final AreaMetric value, final long now) {
        context.forward(new Record<>(cell.toKey(), value, now));
    }

    private static void read(final KeyValueStore<String, AreaMetric> store, final String prefix,
            final List<AreaMetric> into) {
        try (KeyValueIterator<String, AreaMetric> values = store.prefixScan(prefix, new StringSerializer())) {
            values.forEachRemaining(entry -> into.add(entry.value));
        }
    }

    private static String nullToEmpty(final String value) {
        return value == null ? "" : value;
    }
}
