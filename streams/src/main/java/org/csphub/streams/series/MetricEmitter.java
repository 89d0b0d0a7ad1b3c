package org.csphub.streams.series;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.PeriodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each new version of a series into metric updates: it compares the series with the version it
 * last emitted (kept in the family's emitted-series store), recomputes the metrics of the periods the
 * changed months reach in both versions, and publishes only those that differ, with a tombstone for a metric whose period no longer
 * holds any record. The record cache in front of it collapses a burst of updates to one series into
 * one; beyond that, while the series arrive from a backlog, it holds the newest version of each
 * (in a store, so a crash loses none) and emits them when {@link Coalescing} says so.
 */
public final class MetricEmitter implements Processor<String, Series, AreaMetricKey, AreaMetric> {

    private static final Logger LOG = LoggerFactory.getLogger(MetricEmitter.class);
    private static final char SEPARATOR = '#';
    /** A hand-over at least this large is logged: a backlog or burst was coalesced. */
    private static final int LOGGED_HAND_OVER = 100;

    private final MetricCalculator calculator;
    private final Series.Kind kind;
    private ProcessorContext<AreaMetricKey, AreaMetric> context;
    private final String seriesStoreName;
    private KeyValueStore<String, Series> emittedSeries;
    private final String heldStoreName;
    private TimestampedKeyValueStore<String, Series> held;
    private Coalescing coalescing;
    private HoldMetric holdMetric;

    /**
     * An emitter of the series of one kind; a null series (a broken ward-district join) withdraws its
     * metrics. {@code heldStoreName} keeps the series it holds back, with their timestamps.
     */
    public MetricEmitter(final MetricFamily family, final String seriesStoreName, final String heldStoreName,
            final Series.Kind kind) {
        this.calculator = new MetricCalculator(family);
        this.seriesStoreName = seriesStoreName;
        this.heldStoreName = heldStoreName;
        this.kind = kind;
    }

    static String seriesPrefix(final String seriesKey, final Series.Kind kind) {
        return seriesKey + SEPARATOR + kind.name() + SEPARATOR;
    }

    @Override
    public void init(final ProcessorContext<AreaMetricKey, AreaMetric> context) {
        this.context = context;
        this.emittedSeries = context.getStateStore(seriesStoreName);
        this.held = context.getStateStore(heldStoreName);
        this.coalescing = new Coalescing();
        this.holdMetric = HoldMetric.of(context, heldStoreName);
        try (KeyValueIterator<String, ValueAndTimestamp<Series>> all = held.all()) {
            if (all.hasNext()) {
                coalescing.held(context.currentSystemTimeMs());
            }
        }
        context.schedule(Coalescing.CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    @Override
    public void process(final Record<String, Series> record) {
        if (record.key() == null || SeriesKey.NONE.equals(record.key())) {
            return;
        }
        final long now = context.currentSystemTimeMs();
        if (coalescing.arrived(record.timestamp(), now)) {
            held.delete(record.key());
            emit(record.key(), record.value(), record.timestamp());
        } else {
            // a withdrawn series is held as an empty one
            held.put(record.key(), ValueAndTimestamp.make(record.value() == null ? Series.empty() : record.value(),
                    record.timestamp()));
            coalescing.held(now);
        }
    }

    private void check(final long now) {
        final Coalescing.Release release = coalescing.due(now);
        if (release != Coalescing.Release.NOT_YET) {
            release(now, release);
        }
        holdMetric.record(coalescing.heldFor(now));
    }

    private void release(final long now, final Coalescing.Release release) {
        final long heldFor = coalescing.heldFor(now);
        final List<KeyValue<String, ValueAndTimestamp<Series>>> due = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<Series>> all = held.all()) {
            all.forEachRemaining(due::add);
        }
        for (final KeyValue<String, ValueAndTimestamp<Series>> series : due) {
            held.delete(series.key);
            emit(series.key, series.value.value(), series.value.timestamp());
        }
        coalescing.released();
        if (due.size() >= LOGGED_HAND_OVER) {
            LOG.info("{} emitted {} series held for {} ms ({})", heldStoreName, due.size(), heldFor, release);
        }
    }

    @Override
    public void close() {
        holdMetric.close();
    }

    private void emit(final String seriesKey, final Series series, final long timestamp) {
        final SeriesKey key = SeriesKey.parse(seriesKey);
        final Record<String, Series> record = new Record<>(seriesKey, series, timestamp);
        final String prefix = seriesPrefix(seriesKey, kind);
        final Series before = emittedSeries.get(prefix);
        final Series after = series == null || series.months().isEmpty() ? null : series;
        // only the periods the changed months reach are recomputed and compared, so the cost of an
        // update does not grow with the length of the series
        final Map<PeriodType, Set<YearMonth>> periods = MetricCalculator.affectedPeriods(changedMonths(before, after));
        final Map<String, AreaMetric> previous = calculator.compute(key, before, record.timestamp(), periods);
        final Map<String, AreaMetric> wanted = calculator.compute(key, after, record.timestamp(), periods);
        int updates = 0;
        for (final Map.Entry<String, AreaMetric> metric : wanted.entrySet()) {
            final AreaMetric earlier = previous.remove(metric.getKey());
            if (earlier == null || !sameValue(earlier, metric.getValue())) {
                context.forward(record.withKey(MetricCalculator.keyOf(metric.getValue())).withValue(metric.getValue()));
                updates++;
            }
        }
        for (final Map.Entry<String, AreaMetric> gone : previous.entrySet()) {
            context.forward(record.withKey(MetricCalculator.keyOf(gone.getValue())).withValue((AreaMetric) null));
            updates++;
        }
        if (after == null) {
            emittedSeries.delete(prefix);
        } else {
            emittedSeries.put(prefix, after);
        }
        LOG.debug("Series {} ({}) gave {} metric updates", seriesKey, kind, updates);
    }

    /** The months whose counters differ between two versions of a series (all of them when the name changed). */
    static Set<YearMonth> changedMonths(final Series before, final Series after) {
        final Set<YearMonth> changed = new TreeSet<>();
        final boolean renamed = before == null || after == null || !before.areaName().equals(after.areaName());
        if (before != null) {
            before.months().forEach((month, counters) -> {
                if (renamed || !Arrays.equals(counters, after.months().get(month))) {
                    changed.add(month);
                }
            });
        }
        if (after != null) {
            after.months().forEach((month, counters) -> {
                if (renamed || !Arrays.equals(counters, before.months().get(month))) {
                    changed.add(month);
                }
            });
        }
        return changed;
    }

    /** Whether two versions of a metric show the same (their update times aside). */
    public static boolean sameValue(final AreaMetric a, final AreaMetric b) {
        return Objects.equals(a.getValue(), b.getValue()) && Objects.equals(a.getNumerator(), b.getNumerator())
                && Objects.equals(a.getDenominator(), b.getDenominator()) && a.getSuppressed() == b.getSuppressed()
                && Objects.equals(a.getAreaName(), b.getAreaName());
    }
}
