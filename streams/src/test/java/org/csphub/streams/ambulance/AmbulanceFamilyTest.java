package org.csphub.streams.ambulance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.streams.MetricsTestDriver.key;
import static org.csphub.streams.MetricsTestDriver.metric;
import static org.csphub.streams.Records.ABBEY;
import static org.csphub.streams.Records.ARBURY;
import static org.csphub.streams.Records.CAMBRIDGE;
import static org.csphub.streams.Records.callout;

import java.time.Instant;
import org.csphub.contracts.ShippedContracts;
import org.csphub.feeds.ambulance.Sex;
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

class AmbulanceFamilyTest {

    private static final Instant T1 = Instant.parse("2021-03-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2021-03-01T10:01:00Z");

    private final MetricsTestDriver driver = new MetricsTestDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    private AreaMetric latest(final AreaMetricKey key) {
        return driver.latest("csp.metrics.ambulance").get(key);
    }

    @Test
    void shouldCountCalloutsBySexAndAgeBandWithWardShares() {
        driver.ambulance("C1", callout("C1", "2020-08-01T01:00:00Z", ABBEY, Sex.M, "20-24"), T1);
        driver.ambulance("C2", callout("C2", "2020-08-02T01:00:00Z", ABBEY, Sex.F, null), T1);
        driver.ambulance("C3", callout("C3", "2020-08-03T01:00:00Z", ARBURY, Sex.M, "20-24"), T2);

        final AreaMetricKey male = key("ambulance.callouts", "sex", "M", AreaType.DISTRICT, CAMBRIDGE,
                PeriodType.MONTH, "2020-08");
        final AreaMetricKey unknownAge = key("ambulance.callouts", "age_band", "UNKNOWN", AreaType.WARD, ABBEY,
                PeriodType.QUARTER, "2020/21 Q2");
        final AreaMetricKey share = key("ambulance.ward_share", null, null, AreaType.WARD, ABBEY,
                PeriodType.ROLLING_12M, "12m to 2021-07");
        final AreaMetricKey maleChange = key("ambulance.callouts.change_previous_pct", "sex", "M", AreaType.DISTRICT,
                CAMBRIDGE, PeriodType.MONTH, "2020-08");
        assertThat(latest(male)).isEqualTo(metric(male, "Cambridge", 2.0, null, null, T2));
        assertThat(latest(unknownAge)).isEqualTo(metric(unknownAge, "Abbey", 1.0, null, null, T1));
        assertThat(latest(share)).isEqualTo(metric(share, "Abbey", 2.0 / 3, 2L, 3L, T2));
        assertThat(latest(maleChange)).isEqualTo(metric(maleChange, "Cambridge", null, 2L, 0L, T2));
        assertThat(latest(key("ambulance.ward_share", null, null, AreaType.WARD, ABBEY, PeriodType.ROLLING_12M,
                "12m to 2021-08"))).isNull();
    }

    @Test
    void shouldContributeAsTheFeedContractSays() {
        final var contract = ShippedContracts.of("ambulance-callouts");
        for (final String band : new String[] {"20-24", null}) {
            final var callout = callout("C1", "2020-10-25T00:30:00Z", ABBEY, Sex.F, band);

            assertThat(new RecordContributions(contract).of(callout, false))
                    .isEqualTo(ShippedFamilies.ambulance(callout));
        }
    }
}
