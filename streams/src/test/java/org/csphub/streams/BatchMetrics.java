package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.csphub.geography.Area;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;

/**
 * One family's counts in one pass over the records, then its metrics as docs/metrics.md defines them:
 * a plain batch computation, written from the metric catalogue alone, for the recomputation tests to
 * check what a topology publishes against.
 */
final class BatchMetrics {

    /** What a family derives from a cell it publishes, beyond the cell's counts and their changes. */
    interface Derived {
        /** Adds to {@code metrics} what the family derives from {@code cell}, whose main count is {@code total}. */
        void add(List<Object> cell, long total, Map<AreaMetricKey, AreaMetric> metrics);
    }

    /** cell (metric, dimension, value, area type, area code, period type, anchor month) → count. */
    private final Map<List<Object>, Long> counts = new HashMap<>();
    private final Map<List<Object>, String> names = new HashMap<>();
    private final List<Area> wards;

    /** @param wards the wards the records fall in, with their districts (for a ward's share of its district) */
    BatchMetrics(final List<Area> wards) {
        this.wards = wards;
    }

    /**
     * The areas a record counts in: its ward when it has one, its district when it has an area, and the
     * partnership.
     */
    static List<Object[]> areas(final Area area) {
        final List<Object[]> areas = new ArrayList<>();
        if (area != null && area.getWardCode() != null) {
            areas.add(new Object[] {AreaType.WARD, area.getWardCode(), area.getWardName()});
        }
        if (area != null) {
            areas.add(new Object[] {AreaType.DISTRICT, area.getDistrictCode(), area.getDistrictName()});
        }
        areas.add(new Object[] {AreaType.CSP, MetricsTestDriver.CSP_CODE, MetricsTestDriver.CSP_NAME});
        return areas;
    }

    /**
     * Adds to every cell of the month: each period type, each area, the breakdown or (empty map) the total;
     * each of several breakdowns on its own.
     */
    void count(final YearMonth month, final List<Object[]> areas, final Map<String, String> dims,
            final Map<String, Long> values) {
        final String dimension = dims.isEmpty() ? null : dims.keySet().iterator().next();
        final String value = dims.isEmpty() ? null : dims.get(dimension);
        if (dims.size() > 1) {
            dims.forEach((name, v) -> count(month, areas, Map.of(name, v), values));
            return;
        }
        for (final Object[] area : areas) {
            for (final PeriodType type : PeriodType.values()) {
                for (final YearMonth anchor : anchorsOf(type, month)) {
                    values.forEach((metric, add) -> {
                        counts.merge(cell(metric, dimension, value, area[0], area[1], type, anchor), add, Long::sum);
                        names.put(List.of(area[0], area[1]), (String) area[2]);
                    });
                }
            }
        }
    }

    /** The count of a cell, 0 when no record counted in it. */
    long counted(final List<Object> cell) {
        return counts.getOrDefault(cell, 0L);
    }

    static List<Object> cell(final String metric, final String dimension, final String value,
            final Object areaType, final Object areaCode, final PeriodType type, final YearMonth anchor) {
        return Arrays.asList(metric, dimension, value, areaType, areaCode, type, anchor);
    }

    /** The anchor (last month, or end month of a rolling window) of each period holding {@code month}. */
    private static List<YearMonth> anchorsOf(final PeriodType type, final YearMonth month) {
        final int fyOffset = Math.floorMod(month.getMonthValue() - 4, 12);
        return switch (type) {
            case MONTH -> List.of(month);
            case QUARTER -> List.of(month.plusMonths(2 - fyOffset % 3));
            case FINANCIAL_YEAR -> List.of(month.plusMonths(11 - fyOffset));
            case ROLLING_12M -> IntStream.range(0, 12).mapToObj(month::plusMonths).toList();
        };
    }

    private static String label(final PeriodType type, final YearMonth anchor) {
        final int fyStart = anchor.getMonthValue() >= 4 ? anchor.getYear() : anchor.getYear() - 1;
        final String fy = fyStart + "/" + String.format("%02d", (fyStart + 1) % 100);
        return switch (type) {
            case MONTH -> anchor.toString();
            case QUARTER -> fy + " Q" + (Math.floorMod(anchor.getMonthValue() - 4, 12) / 3 + 1);
            case FINANCIAL_YEAR -> fy;
            case ROLLING_12M -> "12m to " + anchor;
        };
    }

    /**
     * Each count but the {@code unpublished} ones with its changes on the previous period and on the
     * year before, where the main count of the breakdown ({@code mainOf} its dimension, null for the
     * total) holds a record; then what the family {@code derived} from each such cell.
     */
    Map<AreaMetricKey, AreaMetric> metrics(final Function<String, String> mainOf, final Set<String> unpublished,
            final Derived derived) {
        final Map<AreaMetricKey, AreaMetric> metrics = new HashMap<>();
        // every count of one breakdown, area and period, by metric
        final Map<List<Object>, Map<String, Long>> byPlace = new HashMap<>();
        counts.forEach((cell, count) -> byPlace.computeIfAbsent(new ArrayList<>(cell.subList(1, 7)),
                place -> new HashMap<>()).put((String) cell.get(0), count));
        for (final Map.Entry<List<Object>, Long> entry : counts.entrySet()) {
            final List<Object> cell = entry.getKey();
            // a period is published when the breakdown's main count holds a record
            if (entry.getValue() == 0 || !cell.get(0).equals(mainOf.apply((String) cell.get(1)))) {
                continue;
            }
            final PeriodType type = (PeriodType) cell.get(5);
            final YearMonth anchor = (YearMonth) cell.get(6);
            for (final Map.Entry<String, Long> same : byPlace.get(cell.subList(1, 7)).entrySet()) {
                final String name = same.getKey();
                if (unpublished.contains(name)) {
                    continue;
                }
                final List<Object> other = rename(cell, name);
                final long now = same.getValue();
                put(metrics, cell, name, now * 1.0, null, null);
                final YearMonth previousAnchor = switch (type) {
                    case MONTH, ROLLING_12M -> anchor.minusMonths(1);
                    case QUARTER -> anchor.minusMonths(3);
                    case FINANCIAL_YEAR -> anchor.minusMonths(12);
                };
                final long previous = counted(with(other, previousAnchor));
                final long yearBefore = counted(with(other, anchor.minusMonths(12)));
                put(metrics, cell, name + ".change_previous", (double) (now - previous), now, previous);
                put(metrics, cell, name + ".change_previous_pct",
                        previous == 0 ? null : (now - previous) * 100.0 / previous, now, previous);
                put(metrics, cell, name + ".change_year", (double) (now - yearBefore), now, yearBefore);
                put(metrics, cell, name + ".change_year_pct",
                        yearBefore == 0 ? null : (now - yearBefore) * 100.0 / yearBefore, now, yearBefore);
            }
            derived.add(cell, entry.getValue(), metrics);
        }
        return metrics;
    }

    /** A rate in {@code cell}: its {@code numerator} count over {@code total}. */
    void putRate(final Map<AreaMetricKey, AreaMetric> metrics, final List<Object> cell, final String name,
            final String numerator, final long total) {
        final long part = counted(rename(cell, numerator));
        put(metrics, cell, name, (double) part / total, part, total);
    }

    /** A count per 1,000 residents in {@code cell}: its {@code count} × 1,000 over the area's residents that year. */
    void putPerThousand(final Map<AreaMetricKey, AreaMetric> metrics, final List<Object> cell, final String name,
            final String count, final PopulationFile population) {
        final long part = counted(rename(cell, count));
        final long residents = population.of((AreaType) cell.get(3), (String) cell.get(4),
                PopulationFile.startYear((PeriodType) cell.get(5), (YearMonth) cell.get(6)));
        put(metrics, cell, name, part * 1000.0 / residents, part, residents);
    }

    /** A ward's share of its district's {@code main} count when {@code cell} is a ward's; nothing for another area. */
    void putWardShare(final Map<AreaMetricKey, AreaMetric> metrics, final List<Object> cell, final String main,
            final String name, final long total) {
        if (cell.get(3) != AreaType.WARD) {
            return;
        }
        final Object district = wards.stream().filter(ward -> ward.getWardCode().equals(cell.get(4)))
                .findFirst().orElseThrow().getDistrictCode();
        final long districtCount = counts.get(cell(main, null, null, AreaType.DISTRICT, district,
                (PeriodType) cell.get(5), (YearMonth) cell.get(6)));
        put(metrics, cell, name, (double) total / districtCount, total, districtCount);
    }

    private static List<Object> with(final List<Object> cell, final YearMonth anchor) {
        final List<Object> copy = new ArrayList<>(cell);
        copy.set(6, anchor);
        return copy;
    }

    static List<Object> rename(final List<Object> cell, final String metric) {
        final List<Object> copy = new ArrayList<>(cell);
        copy.set(0, metric);
        return copy;
    }

    /** A metric of {@code cell}'s breakdown, area and period. */
    void put(final Map<AreaMetricKey, AreaMetric> metrics, final List<Object> cell, final String metric,
            final Double value, final Long numerator, final Long denominator) {
        final AreaType areaType = (AreaType) cell.get(3);
        final String areaCode = (String) cell.get(4);
        final PeriodType type = (PeriodType) cell.get(5);
        final String period = label(type, (YearMonth) cell.get(6));
        final AreaMetricKey key = new AreaMetricKey(metric, (String) cell.get(1), (String) cell.get(2), areaType,
                areaCode, type, period);
        metrics.put(key, new AreaMetric(metric, (String) cell.get(1), (String) cell.get(2), areaType, areaCode,
                names.get(List.of(areaType, areaCode)), type, period, value, numerator, denominator, false, null));
    }

    /** Equal maps, or the first differences (a whole-map message would run to megabytes). */
    static void assertSame(final Map<AreaMetricKey, AreaMetric> published,
            final Map<AreaMetricKey, AreaMetric> computed) {
        final List<String> differences = new ArrayList<>();
        computed.forEach((key, value) -> {
            if (!value.equals(published.get(key))) {
                differences.add("computed " + value + " but published " + published.get(key));
            }
        });
        published.forEach((key, value) -> {
            if (!computed.containsKey(key)) {
                differences.add("published " + value + " but computed nothing");
            }
        });
        assertThat(differences.subList(0, Math.min(10, differences.size()))).as(differences.size() + " differences")
                .isEmpty();
        assertThat(published).isNotEmpty();
    }

    /** The metrics without their update times, which a batch computation does not have. */
    static Map<AreaMetricKey, AreaMetric> withoutTimes(final Map<AreaMetricKey, AreaMetric> metrics) {
        final Map<AreaMetricKey, AreaMetric> copy = new HashMap<>();
        metrics.forEach((key, value) -> copy.put(key, AreaMetric.newBuilder(value).setUpdatedAt(null).build()));
        return copy;
    }
}
