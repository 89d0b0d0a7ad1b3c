package org.csphub.streams.series;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.MetricFormulas;
import org.csphub.metrics.PeriodType;
import org.csphub.streams.periods.Periods;

/**
 * Every metric value of one series, for every period that holds a current record: counts and their
 * changes, rates, counts per 1,000 residents, ward shares and projections. A pure function of the series, so that any update of
 * the series can recompute its metrics whole and compare them with what was published before.
 */
public final class MetricCalculator {

    public static final String CHANGE_PREVIOUS = ".change_previous";
    public static final String CHANGE_PREVIOUS_PCT = ".change_previous_pct";
    public static final String CHANGE_YEAR = ".change_year";
    public static final String CHANGE_YEAR_PCT = ".change_year_pct";

    private final MetricFamily family;

    public MetricCalculator(final MetricFamily family) {
        this.family = family;
    }

    /** The metrics of {@code series}, keyed by metric, period type and period (unique within the series). */
    public Map<String, AreaMetric> compute(final SeriesKey key, final Series series, final Long updatedAt) {
        return compute(key, series, updatedAt, null);
    }

    /**
     * The metrics of {@code series} for the periods in {@code only} (by type, their anchor months), or
     * for every period when {@code only} is null.
     */
    public Map<String, AreaMetric> compute(final SeriesKey key, final Series series, final Long updatedAt,
            final Map<PeriodType, Set<YearMonth>> only) {
        final Map<String, AreaMetric> metrics = new LinkedHashMap<>();
        if (series == null || series.months().isEmpty()) {
            return metrics;
        }
        for (final PeriodType type : PeriodType.values()) {
            for (final YearMonth anchor : anchors(type, series)) {
                if (only != null && !only.get(type).contains(anchor)) {
                    continue;
                }
                final long[] now = sum(series, type, anchor);
                if (now[0] <= 0) {
                    continue;
                }
                final String period = Periods.label(type, anchor);
                if (series.kind() == Series.Kind.SHARE) {
                    put(metrics, metric(key, series, family.wardShare(), type, period,
                            MetricFormulas.ratio(now[0], now[1]), now[0],
                            now[1], updatedAt));
                    continue;
                }
                counts(metrics, key, series, type, anchor, period, now, updatedAt);
                for (final MetricFamily.RateMetric rate : family.rates()) {
                    if (rate.dimensions().contains(key.dimension())) {
                        final long numerator = value(now, rate.numerator());
                        final long denominator = value(now, rate.denominator());
                        put(metrics, metric(key, series, rate.name(), type, period,
                                MetricFormulas.ratio(numerator, denominator),
                                numerator, denominator, updatedAt));
                    }
                }
                perThousandResidents(metrics, key, series, type, anchor, period, now, updatedAt);
                final MetricFamily.Projection projection = family.projection();
                if (projection != null && type == PeriodType.FINANCIAL_YEAR && key.isTotal()
                        && projection.levels().contains(key.areaType())) {
                    final long soFar = value(now, projection.counter());
                    final int elapsed = Periods.monthsIntoFinancialYear(latestMonth(series, anchor));
                    put(metrics, metric(key, series, projection.name(), type, period,
                            MetricFormulas.projection(soFar, elapsed), soFar, (long) elapsed, updatedAt));
                }
            }
        }
        return metrics;
    }

    private void counts(final Map<String, AreaMetric> metrics, final SeriesKey key, final Series series,
            final PeriodType type, final YearMonth anchor, final String period, final long[] now, final Long updatedAt) {
        final long[] previous = sum(series, type, Periods.previous(type, anchor));
        final long[] yearEarlier = sum(series, type, anchor.minusMonths(12));
        for (final MetricFamily.CountMetric count : family.counts()) {
            if (!count.dimensions().contains(key.dimension())) {
                continue;
            }
            final long current = value(now, count.counter());
            final long before = value(previous, count.counter());
            final long yearBefore = value(yearEarlier, count.counter());
            put(metrics, metric(key, series, count.name(), type, period, (double) current, null, null, updatedAt));
            put(metrics, metric(key, series, count.name() + CHANGE_PREVIOUS, type, period,
                    (double) (current - before), current, before, updatedAt));
            put(metrics, metric(key, series, count.name() + CHANGE_PREVIOUS_PCT, type, period,
                    MetricFormulas.percentChange(current, before), current, before, updatedAt));
            put(metrics, metric(key, series, count.name() + CHANGE_YEAR, type, period,
                    (double) (current - yearBefore), current, yearBefore, updatedAt));
            put(metrics, metric(key, series, count.name() + CHANGE_YEAR_PCT, type, period,
                    MetricFormulas.percentChange(current, yearBefore), current, yearBefore, updatedAt));
        }
    }

    /**
     * Each count per 1,000 residents: the count × 1,000 over the area's residents in the calendar year
     * the period starts in (numerator the count, denominator the residents); null where the residents
     * are not known.
     */
    private void perThousandResidents(final Map<String, AreaMetric> metrics, final SeriesKey key, final Series series,
            final PeriodType type, final YearMonth anchor, final String period, final long[] now, final Long updatedAt) {
        for (final MetricFamily.PerThousandResidents rate : family.perThousandResidents()) {
            if (!rate.dimensions().contains(key.dimension())) {
                continue;
            }
            final long count = value(now, rate.counter());
            final OptionalLong residents = family.population().of(key.areaType(), key.areaCode(),
                    Periods.startYear(type, anchor));
            put(metrics, metric(key, series, rate.name(), type, period,
                    residents.isPresent() ? MetricFormulas.perThousand(count, residents.getAsLong()) : null, count,
                    residents.isPresent() ? residents.getAsLong() : null, updatedAt));
        }
    }

    /**
     * The periods whose metrics a change to the counters of {@code changed} months can move: those that
     * hold such a month, those whose previous period holds one (their change on the previous period),
     * and those a year later (their change on the year before). However long a series grows, an update
     * touches a bounded number of periods.
     */
    public static Map<PeriodType, Set<YearMonth>> affectedPeriods(final Collection<YearMonth> changed) {
        final Map<PeriodType, Set<YearMonth>> affected = new EnumMap<>(PeriodType.class);
        for (final PeriodType type : PeriodType.values()) {
            final Set<YearMonth> anchors = new HashSet<>();
            for (final YearMonth month : changed) {
                for (int later = 0; later <= 24; later++) {
                    final YearMonth anchor = Periods.anchor(type, month.plusMonths(later));
                    if (Periods.months(type, anchor).contains(month)
                            || Periods.months(type, Periods.previous(type, anchor)).contains(month)
                            || Periods.months(type, anchor.minusMonths(12)).contains(month)) {
                        anchors.add(anchor);
                    }
                }
            }
            affected.put(type, anchors);
        }
        return affected;
    }

    private static long value(final long[] counters, final int index) {
        return index < counters.length ? counters[index] : 0;
    }

    /** The anchor months of every period of {@code type} that holds a month of the series. */
    private static SortedSet<YearMonth> anchors(final PeriodType type, final Series series) {
        final SortedSet<YearMonth> anchors = new TreeSet<>();
        for (final YearMonth month : series.months().keySet()) {
            if (type == PeriodType.ROLLING_12M) {
                for (int i = 0; i < 12; i++) {
                    anchors.add(month.plusMonths(i));
                }
            } else {
                anchors.add(Periods.anchor(type, month));
            }
        }
        return anchors;
    }

    private static long[] sum(final Series series, final PeriodType type, final YearMonth anchor) {
        final List<YearMonth> months = Periods.months(type, anchor);
        final long[] total = new long[series.months().isEmpty() ? 1 : series.months().firstEntry().getValue().length];
        for (final Map.Entry<YearMonth, long[]> entry
                : series.months().subMap(months.get(0), true, months.get(months.size() - 1), true).entrySet()) {
            final long[] counters = entry.getValue();
            for (int i = 0; i < total.length && i < counters.length; i++) {
                total[i] += counters[i];
            }
        }
        return total;
    }

    /** The latest month of the series inside the financial year ending in {@code anchor}. */
    private static YearMonth latestMonth(final Series series, final YearMonth anchor) {
        final List<YearMonth> months = Periods.months(PeriodType.FINANCIAL_YEAR, anchor);
        return series.months().floorKey(months.get(months.size() - 1));
    }

    private AreaMetric metric(final SeriesKey key, final Series series, final String name, final PeriodType type,
            final String period, final Double value, final Long numerator, final Long denominator, final Long updatedAt) {
        return AreaMetric.newBuilder()
                .setMetric(name)
                .setDimension(key.isTotal() ? null : key.dimension())
                .setDimensionValue(key.isTotal() ? null : key.dimensionValue())
                .setAreaType(key.areaType())
                .setAreaCode(key.areaCode())
                .setAreaName(key.areaType() == AreaType.CSP ? family.cspName() : series.areaName())
                .setPeriodType(type)
                .setPeriod(period)
                .setValue(value)
                .setNumerator(numerator)
                .setDenominator(denominator)
                .setSuppressed(false)
                .setUpdatedAt(updatedAt == null ? null : Instant.ofEpochMilli(updatedAt))
                .build();
    }

    private static void put(final Map<String, AreaMetric> metrics, final AreaMetric metric) {
        metrics.put(metric.getMetric() + "|" + metric.getPeriodType() + "|" + metric.getPeriod(), metric);
    }

    /** The key a metric is published under. */
    public static AreaMetricKey keyOf(final AreaMetric metric) {
        return AreaMetricKey.newBuilder()
                .setMetric(metric.getMetric())
                .setDimension(metric.getDimension())
                .setDimensionValue(metric.getDimensionValue())
                .setAreaType(metric.getAreaType())
                .setAreaCode(metric.getAreaCode())
                .setPeriodType(metric.getPeriodType())
                .setPeriod(metric.getPeriod())
                .build();
    }
}
