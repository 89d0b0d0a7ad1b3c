package org.csphub.sinks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.sinks.MetricFixtures.metric;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csphub.contracts.ShippedContracts;
import org.csphub.geography.District;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.junit.jupiter.api.Test;

/**
 * The police crime contract's districts figure: hate crimes by district in 2019 and 2020, ranked by the
 * rate per 1,000 residents, and the sentence naming the highest rate and the most. The expected ranking
 * and sentence are worked out here from the metrics given to the report.
 */
class DistrictsFigureTest {

    private static final String COUNT = "crime.hate_crime";
    private static final String RATE = "crime.hate_crime_per_1000";
    private static final List<Integer> YEARS = List.of(2019, 2020);
    private static final Pattern ROW = Pattern.compile("<tr><td>(\\d+|–)</td><th scope=\"row\">([^<]+)</th>"
            + "<td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>");

    /** Hate crimes in each year by district: Peterborough the most, Cambridge the most for its size. */
    private static Map<String, long[]> counts() {
        final Map<String, long[]> counts = new LinkedHashMap<>();
        counts.put("E07000008", new long[] {2_010, 1_190});
        counts.put("E07000009", new long[] {64, 61});
        counts.put("E07000010", new long[] {72, 66});
        counts.put("E07000011", new long[] {98, 89});
        counts.put("E07000012", new long[] {81, 78});
        counts.put("E06000031", new long[] {2_512, 1_488});
        return counts;
    }

    /** The twelve-month cells to December that the topologies publish: each count and its rate per 1,000. */
    private static List<AreaMetric> rollingYears(final Map<String, long[]> counts) {
        final List<AreaMetric> metrics = new ArrayList<>();
        counts.forEach((code, years) -> {
            final String name = ReportFixtures.GEOGRAPHY.district(code).orElseThrow().name();
            for (int i = 0; i < YEARS.size(); i++) {
                final String period = "12m to " + YEARS.get(i) + "-12";
                final long residents = ReportFixtures.GEOGRAPHY.population().of(code, YEARS.get(i)).orElseThrow();
                metrics.add(metric(COUNT, null, null, AreaType.DISTRICT, code, name, PeriodType.ROLLING_12M, period,
                        (double) years[i]));
                metrics.add(AreaMetric.newBuilder(metric(RATE, null, null, AreaType.DISTRICT, code, name,
                        PeriodType.ROLLING_12M, period, years[i] * 1000.0 / residents)).setNumerator(years[i])
                        .setDenominator(residents).build());
            }
        });
        return metrics;
    }

    private static String render(final List<AreaMetric> metrics) {
        return new StrategicAssessmentReport(ReportFixtures.disclosure(), ReportFixtures.GEOGRAPHY,
                List.of(ShippedContracts.of("police-crime"))).render(metrics, ReportFixtures.OPTIONS);
    }

    /** One district's values in the metrics: its counts and rates by year. */
    private record Expected(String name, double[] counts, double[] rates) {
    }

    private static List<Expected> expected(final List<AreaMetric> metrics) {
        final Map<String, Expected> byCode = new LinkedHashMap<>();
        for (final AreaMetric metric : metrics) {
            final Expected place = byCode.computeIfAbsent(metric.getAreaCode(), code -> new Expected(
                    metric.getAreaName(), new double[2], new double[2]));
            final int year = YEARS.indexOf(Integer.parseInt(metric.getPeriod().substring(7, 11)));
            (metric.getMetric().equals(COUNT) ? place.counts() : place.rates())[year] = metric.getValue();
        }
        final List<Expected> ranked = new ArrayList<>(byCode.values());
        ranked.sort(Comparator.comparingDouble((Expected place) -> place.rates()[1]).reversed());
        return ranked;
    }

    private static String leader(final List<Expected> places, final boolean rate, final int year) {
        return places.stream().max(Comparator.comparingDouble(place -> rate ? place.rates()[year]
                : place.counts()[year])).orElseThrow().name();
    }

    @Test
    void shouldRankTheDistrictsByRateBesideTheirCountsAndNameTheHighestRateAndTheMost() {
        final List<AreaMetric> metrics = rollingYears(counts());
        final String html = render(metrics);
        final List<Expected> places = expected(metrics);

        final List<List<String>> rows = new ArrayList<>();
        final Matcher matcher = ROW.matcher(html);
        while (matcher.find()) {
            rows.add(List.of(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4),
                    matcher.group(5), matcher.group(6)));
        }
        final List<List<String>> wanted = new ArrayList<>();
        for (int i = 0; i < places.size(); i++) {
            final Expected place = places.get(i);
            wanted.add(List.of(String.valueOf(i + 1), place.name(),
                    String.format(Locale.UK, "%,d", Math.round(place.counts()[0])),
                    String.format(Locale.UK, "%.1f", place.rates()[0]),
                    String.format(Locale.UK, "%,d", Math.round(place.counts()[1])),
                    String.format(Locale.UK, "%.1f", place.rates()[1])));
        }
        assertThat(rows).isEqualTo(wanted);
        assertThat(html).contains("<th scope=\"col\">Rank</th><th scope=\"col\">District</th><th scope=\"col\">"
                + "Offences 2019</th><th scope=\"col\">Per 1,000 residents 2019</th><th scope=\"col\">Offences 2020"
                + "</th><th scope=\"col\">Per 1,000 residents 2020</th>");
        assertThat(html).contains(". Hate crimes by district, 2019 and 2020, ranked by the rate per 1,000 residents"
                + " in 2020</caption>");

        // the same district leads each comparison in both years, so each is named once
        assertThat(leader(places, true, 0)).isEqualTo(leader(places, true, 1));
        assertThat(leader(places, false, 0)).isEqualTo(leader(places, false, 1));
        assertThat(html).contains("<p>" + leader(places, true, 1) + " had the highest rate of hate crimes per 1,000"
                + " residents in both 2019 and 2020, whilst " + leader(places, false, 1) + " had the most in absolute"
                + " terms.</p>");
        // the assessment's comparison
        assertThat(html).contains("<p>Cambridge had the highest rate of hate crimes per 1,000 residents in both 2019"
                + " and 2020, whilst Peterborough had the most in absolute terms.</p>");
        assertThat(html).contains("residents: population.csv: Approximations of the ONS mid-year population "
                + "estimates, not the ONS figures");
    }

    @Test
    void shouldWorkTheRateOutFromTheMonthsAndTheResidentsWhereNoTwelveMonthCellIsPublished() {
        final Map<String, long[]> counts = counts();
        final List<AreaMetric> months = new ArrayList<>();
        counts.forEach((code, years) -> {
            final String name = ReportFixtures.GEOGRAPHY.district(code).orElseThrow().name();
            for (int i = 0; i < YEARS.size(); i++) {
                // twelve months of at least 5 (none withheld), summing to the year's count
                final long base = years[i] / 12;
                for (int m = 1; m <= 12; m++) {
                    final long value = m == 12 ? years[i] - base * 11 : base;
                    months.add(metric(COUNT, null, null, AreaType.DISTRICT, code, name, PeriodType.MONTH,
                            YearMonth.of(YEARS.get(i), m).toString(), (double) value));
                }
            }
        });

        final String fromMonths = render(months);
        final String fromCells = render(rollingYears(counts));

        assertThat(table(fromMonths)).isEqualTo(table(fromCells)).contains("<td>2,010</td>");
        assertThat(fromMonths).contains("<p>Cambridge had the highest rate of hate crimes per 1,000 residents in "
                + "both 2019 and 2020, whilst Peterborough had the most in absolute terms.</p>");
    }

    @Test
    void shouldNameNoLeaderWhenAValueThatCouldLeadIsWithheld() {
        final Map<String, long[]> counts = counts();
        counts.put("E07000009", new long[] {41, 3});
        final String html = render(rollingYears(counts));

        final District east = ReportFixtures.GEOGRAPHY.district("E07000009").orElseThrow();
        assertThat(html).contains("<tr><td>–</td><th scope=\"row\">" + east.name() + "</th><td>41</td><td>"
                + String.format(Locale.UK, "%.1f", 41_000.0 / ReportFixtures.GEOGRAPHY.population()
                        .of(east.code(), 2019).orElseThrow()) + "</td><td>&lt;5</td><td>withheld</td></tr>");
        assertThat(html).doesNotContain("had the highest rate");
    }

    @Test
    void shouldLeaveTheFigureOutWhereNoDistrictHasDataInEitherYear() {
        final String html = render(List.of(metric(COUNT, null, null, AreaType.DISTRICT, "E07000008", "Cambridge",
                PeriodType.MONTH, "2021-01", 12.0)));

        assertThat(html).doesNotContain("hate-crime-districts").doesNotContain("had the highest rate");
    }

    private static String table(final String html) {
        return html.substring(html.indexOf("<table class=\"data\" id=\"hate-crime-districts-table\""),
                html.indexOf("</table>", html.indexOf("hate-crime-districts-table")));
    }
}
