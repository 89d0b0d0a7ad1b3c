package org.csphub.streams.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.streams.MetricsTestDriver.key;
import static org.csphub.streams.Records.ABBEY;
import static org.csphub.streams.Records.ARBURY;
import static org.csphub.streams.Records.CAMBRIDGE;
import static org.csphub.streams.Records.asb;

import java.time.Instant;
import java.util.Map;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.geography.Geography;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.streams.MetricsTestDriver;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DisclosurePublisherTest {

    private static final Instant AT = Instant.parse("2021-01-10T10:00:00Z");
    private static final AreaMetricKey ABBEY_MONTH = incidents(AreaType.WARD, ABBEY);
    private static final AreaMetricKey ARBURY_MONTH = incidents(AreaType.WARD, ARBURY);
    private static final AreaMetricKey CAMBRIDGE_MONTH = incidents(AreaType.DISTRICT, CAMBRIDGE);

    /** Police ASB is open as shipped; here it is withheld below 5, to watch the publisher withhold and show again. */
    private final MetricsTestDriver driver = new MetricsTestDriver(new DisclosureControl(5,
            code -> Geography.defaults().wardByCode(code).map(ward -> ward.district().code())));

    @AfterEach
    void close() {
        driver.close();
    }

    private static AreaMetricKey incidents(final AreaType type, final String code) {
        return key("asb.incidents", null, null, type, code, PeriodType.MONTH, "2020-10");
    }

    private void incidents(final String prefix, final int count, final String ward) {
        for (int i = 0; i < count; i++) {
            driver.asb(prefix + i, asb(prefix + i, "2020-10-0" + (1 + i % 9) + "T12:00:00Z", AsbCategory.NUISANCE,
                    ward), AT);
        }
    }

    @Test
    void shouldWithholdASmallWardAndTheWardThatWouldGiveItAwayOnlyOnThePublishedTopic() {
        incidents("A", 3, ABBEY);
        incidents("R", 7, ARBURY);

        final Map<AreaMetricKey, AreaMetric> metrics = driver.latest("csp.metrics.asb");
        final Map<AreaMetricKey, AreaMetric> published = driver.latest("csp.published.asb");

        assertThat(metrics.get(ABBEY_MONTH).getValue()).isEqualTo(3.0);
        assertThat(metrics.get(ARBURY_MONTH).getValue()).isEqualTo(7.0);
        // 3 is under 5; Cambridge 10 - Arbury 7 would give it away, so Arbury goes too
        assertThat(published.get(ABBEY_MONTH).getSuppressed()).isTrue();
        assertThat(published.get(ABBEY_MONTH).getValue()).isNull();
        assertThat(published.get(ARBURY_MONTH).getSuppressed()).isTrue();
        assertThat(published.get(ARBURY_MONTH).getValue()).isNull();
        assertThat(published.get(CAMBRIDGE_MONTH).getValue()).isEqualTo(10.0);
        assertThat(published.get(CAMBRIDGE_MONTH).getSuppressed()).isFalse();
        // a share built on a withheld count is withheld; the month-on-month change of a withheld count too
        final AreaMetricKey share = key("asb.ward_share", null, null, AreaType.WARD, ARBURY, PeriodType.MONTH,
                "2020-10");
        assertThat(metrics.get(share).getNumerator()).isEqualTo(7L);
        assertThat(published.get(share).getSuppressed()).isTrue();
        assertThat(published.keySet()).isEqualTo(metrics.keySet());
    }

    @Test
    void shouldShowTheWardsAgainOnceTheSmallCountGrowsAndRemoveAMetricThatIsGone() {
        incidents("A", 3, ABBEY);
        incidents("R", 7, ARBURY);
        assertThat(driver.latest("csp.published.asb").get(ARBURY_MONTH).getSuppressed()).isTrue();

        incidents("B", 2, ABBEY);
        final Map<AreaMetricKey, AreaMetric> grown = driver.latest("csp.published.asb");
        assertThat(grown.get(ABBEY_MONTH).getValue()).isEqualTo(5.0);
        assertThat(grown.get(ARBURY_MONTH).getValue()).isEqualTo(7.0);
        assertThat(grown.get(ARBURY_MONTH).getSuppressed()).isFalse();

        for (int i = 0; i < 7; i++) {
            driver.asb("R" + i, null, AT.plusSeconds(60));
        }
        final Map<AreaMetricKey, AreaMetric> retracted = driver.latest("csp.published.asb");
        assertThat(retracted).doesNotContainKey(ARBURY_MONTH);
        assertThat(retracted.get(ABBEY_MONTH).getValue()).isEqualTo(5.0);
        assertThat(retracted.get(CAMBRIDGE_MONTH).getValue()).isEqualTo(5.0);
        assertThat(retracted.keySet()).isEqualTo(driver.latest("csp.metrics.asb").keySet());
    }
}
