package org.csphub.streams.fire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.streams.MetricsTestDriver.CSP_CODE;
import static org.csphub.streams.MetricsTestDriver.CSP_NAME;
import static org.csphub.streams.MetricsTestDriver.key;
import static org.csphub.streams.MetricsTestDriver.metric;
import static org.csphub.streams.Records.ABBEY;
import static org.csphub.streams.Records.CAMBRIDGE;
import static org.csphub.streams.Records.HUNTS;
import static org.csphub.streams.Records.district;
import static org.csphub.streams.Records.fire;
import static org.csphub.streams.Records.ward;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.csphub.contracts.ShippedContracts;
import org.csphub.feeds.fire.FireCause;
import org.csphub.feeds.fire.FireIncidentType;
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

class FireFamilyTest {

    private static final Instant T1 = Instant.parse("2021-03-01T10:00:00Z");

    /**
     * In-memory aggregates: the projection pipes 177 records, and the driver commits (flushes every
     * store) after each. They arrive as a backlog (old by the driver's wall clock), so every stage
     * passes them on coalesced, as in a replay of the fire service's year.
     */
    private final MetricsTestDriver driver = new MetricsTestDriver(true, Instant.parse("2030-01-01T00:00:00Z"));

    @AfterEach
    void close() {
        driver.close();
    }

    private AreaMetric latest(final AreaMetricKey key) {
        return driver.latest("csp.metrics.fire").get(key);
    }

    @Test
    void shouldProjectAFullYearFrom177FiresInElevenMonths() {
        for (int i = 0; i < 177; i++) {
            final YearMonth month = YearMonth.of(2020, 4).plusMonths(i % 11);
            final String at = month.atDay(1 + i / 11).atTime(12, 0).toInstant(ZoneOffset.UTC).toString();
            driver.fire("F" + i, fire("F" + i, at, FireIncidentType.SECONDARY_FIRE, FireCause.ACCIDENTAL,
                    district(HUNTS, "Huntingdonshire")), T1);
        }

        final AreaMetricKey projection = key("fire.projection", null, null, AreaType.DISTRICT, HUNTS,
                PeriodType.FINANCIAL_YEAR, "2020/21");
        final AreaMetricKey csp = key("fire.projection", null, null, AreaType.CSP, CSP_CODE,
                PeriodType.FINANCIAL_YEAR, "2020/21");
        assertThat(latest(projection)).isEqualTo(metric(projection, "Huntingdonshire", 193.0, 177L, 11L, T1));
        assertThat(latest(csp)).isEqualTo(metric(csp, CSP_NAME, 193.0, 177L, 11L, T1));
        assertThat(driver.latest("csp.metrics.fire").keySet()).noneMatch(key -> key.getAreaType() == AreaType.WARD);
    }

    @Test
    void shouldShareDeliberateFiresAmongFiresAndCountEveryIncidentByType() {
        driver.fire("F1", fire("F1", "2020-07-01T12:00:00Z", FireIncidentType.PRIMARY_FIRE, FireCause.DELIBERATE,
                ward(ABBEY)), T1);
        driver.fire("F2", fire("F2", "2020-07-02T12:00:00Z", FireIncidentType.SECONDARY_FIRE, FireCause.ACCIDENTAL,
                ward(ABBEY)), T1);
        driver.fire("F3", fire("F3", "2020-07-03T12:00:00Z", FireIncidentType.CHIMNEY_FIRE, FireCause.NOT_KNOWN,
                ward(ABBEY)), T1);
        driver.fire("F4", fire("F4", "2020-07-04T12:00:00Z", FireIncidentType.FALSE_ALARM, FireCause.NOT_KNOWN,
                ward(ABBEY)), T1);

        final AreaMetricKey share = key("fire.deliberate_share", null, null, AreaType.WARD, ABBEY, PeriodType.MONTH,
                "2020-07");
        final AreaMetricKey fires = key("fire.fires", null, null, AreaType.DISTRICT, CAMBRIDGE, PeriodType.MONTH,
                "2020-07");
        final AreaMetricKey incidents = key("fire.incidents", null, null, AreaType.DISTRICT, CAMBRIDGE,
                PeriodType.MONTH, "2020-07");
        final AreaMetricKey falseAlarms = key("fire.incidents", "incident_type", "FALSE_ALARM", AreaType.WARD, ABBEY,
                PeriodType.MONTH, "2020-07");
        final AreaMetricKey notKnown = key("fire.fires", "cause", "NOT_KNOWN", AreaType.WARD, ABBEY, PeriodType.MONTH,
                "2020-07");
        assertThat(latest(share)).isEqualTo(metric(share, "Abbey", 1.0 / 3, 1L, 3L, T1));
        assertThat(latest(fires)).isEqualTo(metric(fires, "Cambridge", 3.0, null, null, T1));
        assertThat(latest(incidents)).isEqualTo(metric(incidents, "Cambridge", 4.0, null, null, T1));
        assertThat(latest(falseAlarms)).isEqualTo(metric(falseAlarms, "Abbey", 1.0, null, null, T1));
        assertThat(latest(notKnown)).isEqualTo(metric(notKnown, "Abbey", 1.0, null, null, T1));
    }

    @Test
    void shouldContributeAsTheFeedContractSays() {
        final var contract = ShippedContracts.of("fire-incidents");
        for (final FireIncidentType type : FireIncidentType.values()) {
            for (final FireCause cause : FireCause.values()) {
                for (final var area : List.of(ward(ABBEY), district(HUNTS, "Huntingdonshire"))) {
                    final var incident = fire("F1", "2020-06-30T23:15:00Z", type, cause, area);

                    assertThat(new RecordContributions(contract).of(incident, false))
                            .isEqualTo(ShippedFamilies.fire(incident));
                }
            }
        }
    }
}
