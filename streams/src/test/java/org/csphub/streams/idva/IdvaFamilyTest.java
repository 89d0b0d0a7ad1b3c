package org.csphub.streams.idva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.streams.MetricsTestDriver.CSP_CODE;
import static org.csphub.streams.MetricsTestDriver.CSP_NAME;
import static org.csphub.streams.MetricsTestDriver.key;
import static org.csphub.streams.MetricsTestDriver.metric;
import static org.csphub.streams.Records.CAMBRIDGE;
import static org.csphub.streams.Records.referral;

import java.time.Instant;
import java.time.LocalDate;
import org.csphub.contracts.ShippedContracts;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.feeds.idva.IdvaStrand;
import org.csphub.feeds.idva.RiskLevel;
import org.csphub.geography.Area;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.streams.MetricsTestDriver;
import org.csphub.streams.Records;
import org.csphub.streams.series.RecordContributions;
import org.csphub.streams.series.ShippedFamilies;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdvaFamilyTest {

    private static final Instant T1 = Instant.parse("2022-02-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2022-02-01T10:01:00Z");
    private static final Instant T3 = Instant.parse("2022-02-01T10:02:00Z");
    private static final Area CITY = org.csphub.streams.Records.district(CAMBRIDGE, "Cambridge");

    private final MetricsTestDriver driver = new MetricsTestDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    private AreaMetric latest(final AreaMetricKey key) {
        return driver.latest("csp.metrics.idva").get(key);
    }

    private static AreaMetricKey district(final String metric, final PeriodType type, final String period) {
        return key(metric, null, null, AreaType.DISTRICT, CAMBRIDGE, type, period);
    }

    @Test
    void shouldCountReferralsByStrandAndRiskWithTheirEngagementRate() {
        driver.idva("R1", referral("R1", "2020-05-01", CITY, IdvaStrand.DISTRICT, RiskLevel.HIGH, true, "c1"), T1);
        driver.idva("R2", referral("R2", "2020-05-02", CITY, IdvaStrand.DISTRICT, RiskLevel.MEDIUM, true, "c2"), T1);
        driver.idva("R3", referral("R3", "2020-06-03", CITY, IdvaStrand.HEALTH, RiskLevel.STANDARD, false, "c3"), T1);

        final AreaMetricKey referrals = district("idva.referrals", PeriodType.QUARTER, "2020/21 Q1");
        final AreaMetricKey rate = district("idva.engagement_rate", PeriodType.QUARTER, "2020/21 Q1");
        final AreaMetricKey high = district("idva.high_risk", PeriodType.QUARTER, "2020/21 Q1");
        final AreaMetricKey medium = district("idva.medium_risk", PeriodType.QUARTER, "2020/21 Q1");
        final AreaMetricKey districtStrand = key("idva.referrals", "strand", "DISTRICT", AreaType.DISTRICT, CAMBRIDGE,
                PeriodType.QUARTER, "2020/21 Q1");
        final AreaMetricKey healthRate = key("idva.engagement_rate", "strand", "HEALTH", AreaType.CSP, CSP_CODE,
                PeriodType.FINANCIAL_YEAR, "2020/21");
        final AreaMetricKey highLevel = key("idva.referrals", "risk_level", "HIGH", AreaType.CSP, CSP_CODE,
                PeriodType.MONTH, "2020-05");
        assertThat(latest(referrals)).isEqualTo(metric(referrals, "Cambridge", 3.0, null, null, T1));
        assertThat(latest(rate)).isEqualTo(metric(rate, "Cambridge", 2.0 / 3, 2L, 3L, T1));
        assertThat(latest(high)).isEqualTo(metric(high, "Cambridge", 1.0, null, null, T1));
        assertThat(latest(medium)).isEqualTo(metric(medium, "Cambridge", 1.0, null, null, T1));
        assertThat(latest(districtStrand)).isEqualTo(metric(districtStrand, "Cambridge", 2.0, null, null, T1));
        assertThat(latest(healthRate)).isEqualTo(metric(healthRate, CSP_NAME, 0.0, 0L, 1L, T1));
        assertThat(latest(highLevel)).isEqualTo(metric(highLevel, CSP_NAME, 1.0, null, null, T1));
        assertThat(driver.latest("csp.metrics.idva").keySet()).noneMatch(key -> key.getAreaType() == AreaType.WARD);
    }

    @Test
    void shouldCountAReferral364DaysAfterThePreviousAsARepeat() {
        driver.idva("R1", referral("R1", "2021-01-10", CITY, IdvaStrand.DISTRICT, RiskLevel.HIGH, true, "c1"), T1);
        driver.idva("R2", referral("R2", "2022-01-09", CITY, IdvaStrand.DISTRICT, RiskLevel.HIGH, true, "c1"), T2);

        final AreaMetricKey repeats = district("idva.repeats", PeriodType.MONTH, "2022-01");
        final AreaMetricKey rate = district("idva.repeat_rate", PeriodType.MONTH, "2022-01");
        final AreaMetricKey first = district("idva.repeats", PeriodType.MONTH, "2021-01");
        assertThat(latest(repeats)).isEqualTo(metric(repeats, "Cambridge", 1.0, null, null, T2));
        assertThat(latest(rate)).isEqualTo(metric(rate, "Cambridge", 1.0, 1L, 1L, T2));
        assertThat(latest(first)).isEqualTo(metric(first, "Cambridge", 0.0, null, null, T1));
    }

    @Test
    void shouldNotCountAReferral366DaysAfterThePreviousAsARepeat() {
        driver.idva("R1", referral("R1", "2021-01-10", CITY, IdvaStrand.DISTRICT, RiskLevel.HIGH, true, "c1"), T1);
        driver.idva("R2", referral("R2", "2022-01-11", CITY, IdvaStrand.DISTRICT, RiskLevel.HIGH, true, "c1"), T2);

        final AreaMetricKey repeats = district("idva.repeats", PeriodType.MONTH, "2022-01");
        final AreaMetricKey rate = district("idva.repeat_rate", PeriodType.MONTH, "2022-01");
        assertThat(latest(repeats)).isEqualTo(metric(repeats, "Cambridge", 0.0, null, null, T2));
        assertThat(latest(rate)).isEqualTo(metric(rate, "Cambridge", 0.0, 0L, 1L, T2));
    }

    @Test
    void shouldWithdrawTheRepeatWhenTheEarlierReferralIsRetracted() {
        driver.idva("R1", referral("R1", "2021-01-10", CITY, IdvaStrand.DISTRICT, RiskLevel.HIGH, true, "c1"), T1);
        driver.idva("R2", referral("R2", "2021-06-01", CITY, IdvaStrand.DISTRICT, RiskLevel.HIGH, true, "c1"), T2);
        final AreaMetricKey repeats = district("idva.repeats", PeriodType.FINANCIAL_YEAR, "2021/22");
        assertThat(latest(repeats)).isEqualTo(metric(repeats, "Cambridge", 1.0, null, null, T2));

        driver.idva("R1", null, T3);

        final AreaMetricKey rate = district("idva.repeat_rate", PeriodType.FINANCIAL_YEAR, "2021/22");
        assertThat(latest(repeats)).isEqualTo(metric(repeats, "Cambridge", 0.0, null, null, T3));
        assertThat(latest(rate)).isEqualTo(metric(rate, "Cambridge", 0.0, 0L, 1L, T3));
        assertThat(latest(district("idva.referrals", PeriodType.MONTH, "2021-01"))).isNull();
    }

    @Test
    void shouldReflagALaterReferralWhenTheEarlierOneIsCorrectedToAnotherClient() {
        driver.idva("R1", referral("R1", "2021-01-10", CITY, IdvaStrand.DISTRICT, RiskLevel.HIGH, true, "c1"), T1);
        driver.idva("R2", referral("R2", "2021-03-01", CITY, IdvaStrand.DISTRICT, RiskLevel.HIGH, true, "c1"), T2);

        driver.idva("R1", referral("R1", "2021-01-10", CITY, IdvaStrand.DISTRICT, RiskLevel.HIGH, true, "c9"), T3);

        final AreaMetricKey repeats = district("idva.repeats", PeriodType.MONTH, "2021-03");
        assertThat(latest(repeats)).isEqualTo(metric(repeats, "Cambridge", 0.0, null, null, T3));
        final AreaMetricKey referrals = district("idva.referrals", PeriodType.QUARTER, "2020/21 Q4");
        assertThat(latest(referrals)).isEqualTo(metric(referrals, "Cambridge", 2.0, null, null, T2));
    }

    @Test
    void shouldContributeAsTheFeedContractSays() {
        final var contract = ShippedContracts.of("idva-referrals");
        for (final RiskLevel risk : RiskLevel.values()) {
            for (final boolean flag : new boolean[] {true, false}) {
                final var referral = new IdvaReferral("R1", LocalDate.parse("2021-03-31"),
                        Records.district(CAMBRIDGE, "Cambridge"), IdvaStrand.A8, flag ? 15 : null, risk, flag,
                        "c1", flag, !flag, flag, Records.RECEIVED, null);

                assertThat(new RecordContributions(contract).of(referral, flag))
                        .isEqualTo(ShippedFamilies.idva(referral, flag));
                assertThat(new RecordContributions(contract).of(referral, !flag))
                        .isEqualTo(ShippedFamilies.idva(referral, !flag));
            }
        }
    }
}
