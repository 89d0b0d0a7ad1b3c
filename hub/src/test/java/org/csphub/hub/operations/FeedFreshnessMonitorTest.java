package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.csphub.config.HubConfig;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;

class FeedFreshnessMonitorTest {

    private static final Instant RECEIVED = Instant.parse("2026-03-02T09:00:00Z");
    private static final Instant REPORTED = Instant.parse("2026-03-01T22:15:00Z");

    private final RawTopicFixture topics = new RawTopicFixture();
    private final SettableClock clock = new SettableClock(RECEIVED.plus(Duration.ofHours(1)));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private FeedFreshnessMonitor monitor(final Map<String, String> settings) {
        return new FeedFreshnessMonitor(topics.consumer, RawTopicFixture.SERDE,
                FreshnessExpectations.from(HubConfig.load(Optional.empty(), Map.of(), settings)), clock).bindTo(registry);
    }

    private double gauge(final String name, final Feed feed) {
        return registry.get(name).tag("feed", feed.slug()).gauge().value();
    }

    @Test
    void shouldReadTheNewestEventAndReceiptFromTheRawTopic() {
        topics.appendPolice("ASB-1", REPORTED.minus(Duration.ofDays(3)), RECEIVED.minus(Duration.ofMinutes(5)));
        topics.appendPolice("ASB-2", REPORTED, RECEIVED);
        final FeedFreshnessMonitor monitor = monitor(Map.of());

        assertThat(monitor.refresh()).isTrue();

        assertThat(monitor.freshness(FeedCatalog.shipped().feed("police-asb"))).isEqualTo(new FeedFreshness(FeedCatalog.shipped().feed("police-asb"),
                Optional.of(REPORTED), Optional.of(RECEIVED), Duration.ofDays(1)));
        assertThat(gauge(MeterNames.NEWEST_EVENT, FeedCatalog.shipped().feed("police-asb"))).isEqualTo(REPORTED.getEpochSecond());
        assertThat(gauge(MeterNames.LAST_RECEIVED, FeedCatalog.shipped().feed("police-asb"))).isEqualTo(RECEIVED.getEpochSecond());
    }

    @Test
    void shouldTurnStaleWhenTheClockPassesTheExpectation() {
        topics.appendPolice("ASB-1", REPORTED, RECEIVED);
        final FeedFreshnessMonitor monitor = monitor(Map.of(HubConfig.FRESHNESS_POLICE_ASB, "PT6H"));
        monitor.refresh();
        assertThat(gauge(MeterNames.STALE, FeedCatalog.shipped().feed("police-asb"))).isZero();

        clock.advance(Duration.ofHours(5));
        assertThat(gauge(MeterNames.STALE, FeedCatalog.shipped().feed("police-asb"))).as("exactly six hours old").isZero();

        clock.advance(Duration.ofSeconds(1));
        assertThat(gauge(MeterNames.STALE, FeedCatalog.shipped().feed("police-asb"))).isEqualTo(1.0);
        assertThat(gauge(MeterNames.FRESHNESS_EXPECTATION, FeedCatalog.shipped().feed("police-asb"))).isEqualTo(6 * 3600.0);
    }

    @Test
    void shouldBecomeFreshAgainWhenANewRecordArrives() {
        topics.appendPolice("ASB-1", REPORTED, RECEIVED);
        final FeedFreshnessMonitor monitor = monitor(Map.of());
        monitor.refresh();
        clock.advance(Duration.ofDays(2));
        assertThat(gauge(MeterNames.STALE, FeedCatalog.shipped().feed("police-asb"))).isEqualTo(1.0);

        topics.appendPolice("ASB-2", REPORTED.plus(Duration.ofDays(2)), clock.instant());
        monitor.refresh();

        assertThat(gauge(MeterNames.STALE, FeedCatalog.shipped().feed("police-asb"))).isZero();
        assertThat(monitor.freshness(FeedCatalog.shipped().feed("police-asb")).newestEvent()).contains(REPORTED.plus(Duration.ofDays(2)));
    }

    @Test
    void shouldCountAFeedThatNeverArrivedAsStale() {
        final FeedFreshnessMonitor monitor = monitor(Map.of());
        monitor.refresh();

        assertThat(gauge(MeterNames.STALE, FeedCatalog.shipped().feed("fire-incidents"))).isEqualTo(1.0);
        assertThat(gauge(MeterNames.LAST_RECEIVED, FeedCatalog.shipped().feed("fire-incidents"))).isNaN();
        assertThat(gauge(MeterNames.FRESHNESS_EXPECTATION, FeedCatalog.shipped().feed("fire-incidents")))
                .isEqualTo(Duration.ofDays(8).toSeconds());
    }

    @Test
    void shouldRefuseAnExpectationThatIsNoDuration() {
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(),
                Map.of(HubConfig.FRESHNESS_FIRE_INCIDENTS, "weekly"));

        assertThatThrownBy(() -> FreshnessExpectations.from(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("freshness.fire-incidents=weekly");
    }
}
