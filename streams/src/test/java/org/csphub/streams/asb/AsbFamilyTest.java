package org.csphub.streams.asb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.streams.MetricsTestDriver.CSP_CODE;
import static org.csphub.streams.MetricsTestDriver.CSP_NAME;
import static org.csphub.streams.MetricsTestDriver.key;
import static org.csphub.streams.MetricsTestDriver.metric;
import static org.csphub.streams.Records.ABBEY;
import static org.csphub.streams.Records.ARBURY;
import static org.csphub.streams.Records.CAMBRIDGE;
import static org.csphub.streams.Records.asb;

import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.csphub.contracts.ShippedContracts;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.streams.MetricsTestDriver;
import org.csphub.streams.series.RecordContributions;
import org.csphub.streams.series.ShippedFamilies;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsbFamilyTest {

    private static final Instant T1 = Instant.parse("2021-01-10T10:00:00Z");
    private static final Instant T2 = Instant.parse("2021-01-10T10:01:00Z");
    private static final Instant T3 = Instant.parse("2021-01-10T10:02:00Z");

    private final MetricsTestDriver driver = new MetricsTestDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    private AreaMetric latest(final AreaMetricKey key) {
        return driver.latest("csp.metrics.asb").get(key);
    }

    private static AreaMetricKey incidents(final AreaType type, final String code, final PeriodType periodType,
            final String period) {
        return key("asb.incidents", null, null, type, code, periodType, period);
    }

    @Test
    void shouldCountAnIncidentAt0030BstOnFirstOctoberInOctoberForEveryPeriodAndArea() {
        driver.asb("A1", asb("A1", "2020-09-30T23:30:00Z", AsbCategory.NUISANCE, ABBEY), T1);

        assertThat(latest(incidents(AreaType.WARD, ABBEY, PeriodType.MONTH, "2020-10"))).isEqualTo(
                metric(incidents(AreaType.WARD, ABBEY, PeriodType.MONTH, "2020-10"), "Abbey", 1.0, null, null, T1));
        assertThat(latest(incidents(AreaType.DISTRICT, CAMBRIDGE, PeriodType.QUARTER, "2020/21 Q3"))).isEqualTo(
                metric(incidents(AreaType.DISTRICT, CAMBRIDGE, PeriodType.QUARTER, "2020/21 Q3"), "Cambridge", 1.0,
                        null, null, T1));
        assertThat(latest(incidents(AreaType.CSP, CSP_CODE, PeriodType.FINANCIAL_YEAR, "2020/21"))).isEqualTo(
                metric(incidents(AreaType.CSP, CSP_CODE, PeriodType.FINANCIAL_YEAR, "2020/21"), CSP_NAME, 1.0,
                        null, null, T1));
        final AreaMetricKey nuisance = key("asb.incidents", "category", "NUISANCE", AreaType.WARD, ABBEY,
                PeriodType.MONTH, "2020-10");
        assertThat(latest(nuisance)).isEqualTo(metric(nuisance, "Abbey", 1.0, null, null, T1));
        assertThat(latest(incidents(AreaType.WARD, ABBEY, PeriodType.MONTH, "2020-09"))).isNull();
        assertThat(driver.latest("csp.metrics.asb").keySet().stream()
                .filter(key -> key.getMetric().equals("asb.incidents") && key.getDimension() == null
                        && key.getAreaType() == AreaType.WARD && key.getPeriodType() == PeriodType.ROLLING_12M)
                .map(AreaMetricKey::getPeriod).sorted().collect(Collectors.toList()))
                .containsExactly("12m to 2020-10", "12m to 2020-11", "12m to 2020-12", "12m to 2021-01",
                        "12m to 2021-02", "12m to 2021-03", "12m to 2021-04", "12m to 2021-05", "12m to 2021-06",
                        "12m to 2021-07", "12m to 2021-08", "12m to 2021-09");
    }

    @Test
    void shouldMoveACorrectedIncidentBetweenWardsAndMonths() {
        driver.asb("A1", asb("A1", "2020-09-15T12:00:00Z", AsbCategory.PERSONAL, ABBEY), T1);
        driver.asb("A2", asb("A2", "2020-09-16T12:00:00Z", AsbCategory.PERSONAL, ABBEY), T1);
        driver.asb("A1", asb("A1", "2020-10-02T12:00:00Z", AsbCategory.NUISANCE, ARBURY), T2);

        final AreaMetricKey abbeySeptember = incidents(AreaType.WARD, ABBEY, PeriodType.MONTH, "2020-09");
        final AreaMetricKey arburyOctober = incidents(AreaType.WARD, ARBURY, PeriodType.MONTH, "2020-10");
        final AreaMetricKey districtSeptember = incidents(AreaType.DISTRICT, CAMBRIDGE, PeriodType.MONTH, "2020-09");
        final AreaMetricKey districtOctober = incidents(AreaType.DISTRICT, CAMBRIDGE, PeriodType.MONTH, "2020-10");
        final AreaMetricKey personal = key("asb.incidents", "category", "PERSONAL", AreaType.WARD, ABBEY,
                PeriodType.MONTH, "2020-09");
        final AreaMetricKey quarter = incidents(AreaType.DISTRICT, CAMBRIDGE, PeriodType.QUARTER, "2020/21 Q2");
        assertThat(latest(abbeySeptember)).isEqualTo(metric(abbeySeptember, "Abbey", 1.0, null, null, T2));
        assertThat(latest(arburyOctober)).isEqualTo(metric(arburyOctober, "Arbury", 1.0, null, null, T2));
        assertThat(latest(districtSeptember)).isEqualTo(metric(districtSeptember, "Cambridge", 1.0, null, null, T2));
        assertThat(latest(districtOctober)).isEqualTo(metric(districtOctober, "Cambridge", 1.0, null, null, T2));
        assertThat(latest(personal)).isEqualTo(metric(personal, "Abbey", 1.0, null, null, T2));
        assertThat(latest(quarter)).isEqualTo(metric(quarter, "Cambridge", 1.0, null, null, T2));
        final AreaMetricKey change = key("asb.incidents.change_previous", null, null, AreaType.DISTRICT, CAMBRIDGE,
                PeriodType.MONTH, "2020-10");
        assertThat(latest(change)).isEqualTo(metric(change, "Cambridge", 0.0, 1L, 1L, T2));
    }

    @Test
    void shouldWithdrawEveryMetricOfARetractedIncident() {
        driver.asb("A1", asb("A1", "2020-09-15T12:00:00Z", AsbCategory.PERSONAL, ABBEY), T1);
        assertThat(driver.latest("csp.metrics.asb")).isNotEmpty();

        driver.asb("A1", null, T2);

        assertThat(driver.latest("csp.metrics.asb")).isEmpty();
    }

    @Test
    void shouldUpdateThePeriodsOfAnIncidentReportedAYearLate() {
        driver.asb("A1", asb("A1", "2021-05-10T12:00:00Z", AsbCategory.PERSONAL, ABBEY), T1);
        driver.asb("A2", asb("A2", "2021-05-11T12:00:00Z", AsbCategory.PERSONAL, ABBEY), T1);
        final AreaMetricKey yearPct = key("asb.incidents.change_year_pct", null, null, AreaType.WARD, ABBEY,
                PeriodType.MONTH, "2021-05");
        final AreaMetricKey previousPct = key("asb.incidents.change_previous_pct", null, null, AreaType.WARD, ABBEY,
                PeriodType.MONTH, "2021-05");
        assertThat(latest(yearPct)).isEqualTo(metric(yearPct, "Abbey", null, 2L, 0L, T1));
        assertThat(latest(previousPct)).isEqualTo(metric(previousPct, "Abbey", null, 2L, 0L, T1));

        driver.asb("A0", asb("A0", "2020-05-20T12:00:00Z", AsbCategory.PERSONAL, ABBEY), T3);

        final AreaMetricKey lateMonth = incidents(AreaType.WARD, ABBEY, PeriodType.MONTH, "2020-05");
        assertThat(latest(lateMonth)).isEqualTo(metric(lateMonth, "Abbey", 1.0, null, null, T3));
        assertThat(latest(yearPct)).isEqualTo(metric(yearPct, "Abbey", 100.0, 2L, 1L, T3));
        final AreaMetricKey rolling = incidents(AreaType.WARD, ABBEY, PeriodType.ROLLING_12M, "12m to 2021-04");
        assertThat(latest(rolling)).isEqualTo(metric(rolling, "Abbey", 1.0, null, null, T3));
        final AreaMetricKey rollingChange = key("asb.incidents.change_previous", null, null, AreaType.WARD, ABBEY,
                PeriodType.ROLLING_12M, "12m to 2021-05");
        // June 2020 to May 2021 holds the two, May 2020 to April 2021 the late one
        assertThat(latest(rollingChange)).isEqualTo(metric(rollingChange, "Abbey", 1.0, 2L, 1L, T3));
    }

    @Test
    void shouldPutThirtyFirstMarchAndFirstAprilInDifferentFinancialYears() {
        driver.asb("A1", asb("A1", "2021-03-31T22:59:00Z", AsbCategory.PERSONAL, ABBEY), T1);
        driver.asb("A2", asb("A2", "2021-03-31T23:00:00Z", AsbCategory.PERSONAL, ABBEY), T1);

        final Map<AreaMetricKey, AreaMetric> metrics = driver.latest("csp.metrics.asb");
        assertThat(metrics.get(incidents(AreaType.WARD, ABBEY, PeriodType.QUARTER, "2020/21 Q4")).getValue())
                .isEqualTo(1.0);
        assertThat(metrics.get(incidents(AreaType.WARD, ABBEY, PeriodType.FINANCIAL_YEAR, "2020/21")).getValue())
                .isEqualTo(1.0);
        assertThat(metrics.get(incidents(AreaType.WARD, ABBEY, PeriodType.QUARTER, "2021/22 Q1")).getValue())
                .isEqualTo(1.0);
        assertThat(metrics.get(incidents(AreaType.WARD, ABBEY, PeriodType.FINANCIAL_YEAR, "2021/22")).getValue())
                .isEqualTo(1.0);
        final AreaMetricKey change = key("asb.incidents.change_previous", null, null, AreaType.WARD, ABBEY,
                PeriodType.QUARTER, "2021/22 Q1");
        assertThat(metrics.get(change)).isEqualTo(metric(change, "Abbey", 0.0, 1L, 1L, T1));
    }

    @Test
    void shouldPutMidnightAtTheEndOfBritishSummerTimeInTheNewMonth() {
        // clocks went back on 25 October 2020: 31 October 23:30 is GMT, 30 September 23:30 UTC is already 1 October BST
        driver.asb("A1", asb("A1", "2020-10-31T23:30:00Z", AsbCategory.PERSONAL, ABBEY), T1);
        driver.asb("A2", asb("A2", "2020-11-01T00:00:00Z", AsbCategory.PERSONAL, ABBEY), T1);
        driver.asb("A3", asb("A3", "2020-09-30T23:00:00Z", AsbCategory.PERSONAL, ABBEY), T1);

        final Map<AreaMetricKey, AreaMetric> metrics = driver.latest("csp.metrics.asb");
        assertThat(metrics.get(incidents(AreaType.WARD, ABBEY, PeriodType.MONTH, "2020-10")).getValue()).isEqualTo(2.0);
        assertThat(metrics.get(incidents(AreaType.WARD, ABBEY, PeriodType.MONTH, "2020-11")).getValue()).isEqualTo(1.0);
        assertThat(metrics.get(incidents(AreaType.WARD, ABBEY, PeriodType.MONTH, "2020-09"))).isNull();
    }

    @Test
    void shouldPublishAWardShareOfItsDistrictWithNumeratorAndDenominator() {
        driver.asb("A1", asb("A1", "2020-09-15T12:00:00Z", AsbCategory.PERSONAL, ABBEY), T1);
        driver.asb("A2", asb("A2", "2020-09-16T12:00:00Z", AsbCategory.PERSONAL, ABBEY), T1);
        driver.asb("A3", asb("A3", "2020-09-17T12:00:00Z", AsbCategory.NUISANCE, ABBEY), T1);
        driver.asb("A4", asb("A4", "2020-09-18T12:00:00Z", AsbCategory.NUISANCE, ARBURY), T2);

        final AreaMetricKey abbey = key("asb.ward_share", null, null, AreaType.WARD, ABBEY, PeriodType.MONTH, "2020-09");
        final AreaMetricKey arbury = key("asb.ward_share", null, null, AreaType.WARD, ARBURY, PeriodType.MONTH,
                "2020-09");
        assertThat(latest(abbey)).isEqualTo(metric(abbey, "Abbey", 0.75, 3L, 4L, T2));
        assertThat(latest(arbury)).isEqualTo(metric(arbury, "Arbury", 0.25, 1L, 4L, T2));
    }

    @Test
    void shouldNotRepublishAMetricWhoseValueDidNotChange() {
        driver.asb("A1", asb("A1", "2020-09-15T12:00:00Z", AsbCategory.PERSONAL, ABBEY), T1);
        driver.updates("csp.metrics.asb");

        // the same incident again, re-sent unchanged
        driver.asb("A1", asb("A1", "2020-09-15T12:00:00Z", AsbCategory.PERSONAL, ABBEY), T2);

        assertThat(driver.updates("csp.metrics.asb")).isEmpty();
    }

    @Test
    void shouldContributeAsTheFeedContractSays() {
        final var contract = ShippedContracts.of("police-asb");
        for (final AsbCategory category : AsbCategory.values()) {
            final var incident = asb("A1", "2021-03-31T23:30:00Z", category, ABBEY);

            assertThat(new RecordContributions(contract).of(incident, false))
                    .isEqualTo(ShippedFamilies.asb(incident));
        }
    }
}
