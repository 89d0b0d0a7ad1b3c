package org.csphub.streams.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.csphub.geography.Population;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.junit.jupiter.api.Test;

/**
 * Counts per 1,000 residents as the calculator gives them: over the residents of the year each period
 * starts in, the partnership's the sum of its districts', and null where the area has no figure.
 */
class PerThousandResidentsTest {

    private static final String DISTRICT = "E07000001";
    private static final String OTHER = "E07000002";
    private static final Population POPULATION = new Population("test", Map.of(
            DISTRICT, years(2020, 40_000L, 2021, 50_000L),
            OTHER, years(2020, 10_000L, 2021, 30_000L)), List.of(DISTRICT, OTHER), "");
    private static final MetricFamily FAMILY = new MetricFamily("f", "csp.metrics.f",
            List.of(AreaType.WARD, AreaType.DISTRICT, AreaType.CSP), List.of(),
            List.of(new MetricFamily.CountMetric("f.records", 0, Set.of(MetricFamily.TOTAL)),
                    new MetricFamily.CountMetric("f.flagged", 1, Set.of(MetricFamily.TOTAL))),
            List.of(), null, null, "csp", "The partnership",
            List.of(new MetricFamily.PerThousandResidents("f.flagged_per_1000", 1, Set.of(MetricFamily.TOTAL))),
            POPULATION);

    private static SortedMap<Integer, Long> years(final int year, final long residents, final int next,
            final long nextResidents) {
        return new TreeMap<>(Map.of(year, residents, next, nextResidents));
    }

    /** 3 flagged records in December 2020 and 7 in January 2021, of 10 and 20 records. */
    private static Map<String, AreaMetric> compute(final SeriesKey key) {
        final Series series = new Series(Series.Kind.COUNTS, "An area", "", Map.of(
                YearMonth.of(2020, 12), new long[] {10, 3}, YearMonth.of(2021, 1), new long[] {20, 7}));
        return new MetricCalculator(FAMILY).compute(key, series, null);
    }

    @Test
    void shouldDivideByTheResidentsOfTheYearThePeriodStartsIn() {
        final Map<String, AreaMetric> metrics = compute(SeriesKey.total(AreaType.DISTRICT, DISTRICT));

        assertRate(metrics.get("f.flagged_per_1000|MONTH|2020-12"), 3, 40_000);
        assertRate(metrics.get("f.flagged_per_1000|MONTH|2021-01"), 7, 50_000);
        // 2020/21 Q4 is January to March 2021; 2020/21 starts in April 2020
        assertRate(metrics.get("f.flagged_per_1000|QUARTER|2020/21 Q4"), 7, 50_000);
        assertRate(metrics.get("f.flagged_per_1000|FINANCIAL_YEAR|2020/21"), 10, 40_000);
        // February 2020 to January 2021
        assertRate(metrics.get("f.flagged_per_1000|ROLLING_12M|12m to 2021-01"), 10, 40_000);
    }

    @Test
    void shouldTakeThePartnershipsResidentsAsItsDistrictsSummed() {
        final Map<String, AreaMetric> metrics = compute(SeriesKey.total(AreaType.CSP, "csp"));

        assertRate(metrics.get("f.flagged_per_1000|MONTH|2021-01"), 7, 50_000 + 30_000);
    }

    @Test
    void shouldGiveNoValueForAnAreaWithoutResidents() {
        final AreaMetric metric = compute(SeriesKey.total(AreaType.WARD, "E05000001"))
                .get("f.flagged_per_1000|MONTH|2021-01");

        assertThat(metric.getValue()).isNull();
        assertThat(metric.getNumerator()).isEqualTo(7);
        assertThat(metric.getDenominator()).isNull();
    }

    private static void assertRate(final AreaMetric metric, final long count, final long residents) {
        assertThat(metric.getNumerator()).isEqualTo(count);
        assertThat(metric.getDenominator()).isEqualTo(residents);
        assertThat(metric.getValue()).isEqualTo(count * 1000.0 / residents);
    }
}
