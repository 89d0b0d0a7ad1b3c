package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;

class PipelineStatusTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
    private static final PipelineStatus.Health UP = new PipelineStatus.Health(true, "1 broker(s)", true, "registry");

    private static PipelineStatus.FeedStatus feed(final Feed feed, final Duration age, final long recentDeadLetters) {
        return new PipelineStatus.FeedStatus(new FeedFreshness(feed, Optional.of(NOW.minus(age)),
                Optional.of(NOW.minus(age)), Duration.ofDays(1)), 10, 2, 2, recentDeadLetters, Map.of("BAD_DATE", 2L));
    }

    private static List<PipelineStatus.FeedStatus> freshFeeds() {
        return FeedCatalog.shipped().feeds().stream().map(feed -> feed(feed, Duration.ofHours(1), 0)).toList();
    }

    private static ConsumerLag lag(final long behind) {
        return new ConsumerLag("csp-hub-metrics", List.of(new ConsumerLag.PartitionLag("csp.raw.police-asb", 0,
                100 - behind, 100, behind)));
    }

    private static PipelineStatus status(final PipelineStatus.Health health, final List<PipelineStatus.FeedStatus> feeds,
            final long lag) {
        return new PipelineStatus(NOW, health, feeds, List.of(lag(lag)), 1000, Duration.ofHours(1));
    }

    @Test
    void shouldBeHealthyWhenEveryFeedIsFreshAndNothingWaits() {
        final PipelineStatus.Verdict verdict = status(UP, freshFeeds(), 1000).verdict();

        assertThat(verdict).isEqualTo(new PipelineStatus.Verdict(PipelineStatus.Level.HEALTHY, List.of()));
        assertThat(verdict.level().exitCode()).isZero();
    }

    @Test
    void shouldBeDegradedWhenAFeedIsStale() {
        final List<PipelineStatus.FeedStatus> feeds = new java.util.ArrayList<>(freshFeeds());
        feeds.set(0, feed(FeedCatalog.shipped().feed("police-asb"), Duration.ofDays(1).plusSeconds(1), 0));

        final PipelineStatus.Verdict verdict = status(UP, feeds, 0).verdict();

        assertThat(verdict.level()).isEqualTo(PipelineStatus.Level.DEGRADED);
        assertThat(verdict.level().exitCode()).isEqualTo(1);
        assertThat(verdict.reasons()).containsExactly("police-asb is stale: nothing received since "
                + "2026-03-14T11:59:59Z (expected every PT24H)");
    }

    @Test
    void shouldBeDegradedWhenLagPassesTheThreshold() {
        final PipelineStatus.Verdict verdict = status(UP, freshFeeds(), 1001).verdict();

        assertThat(verdict).isEqualTo(new PipelineStatus.Verdict(PipelineStatus.Level.DEGRADED,
                List.of("csp-hub-metrics is 1001 records behind (threshold 1000)")));
    }

    @Test
    void shouldBeDegradedWhenASinkIsFurtherBehindThanTheThreshold() {
        final PipelineStatus status = new PipelineStatus(NOW, UP, freshFeeds(), List.of(lag(0)),
                List.of(sink(1000), sink(1001)), 1000, Duration.ofHours(1));

        assertThat(status.verdict()).isEqualTo(new PipelineStatus.Verdict(PipelineStatus.Level.DEGRADED,
                List.of("the postgres sink is 1001 records behind (threshold 1000)")));
    }

    @Test
    void shouldNotJudgeASinkWhoseLagIsNotKnown() {
        final PipelineStatus status = new PipelineStatus(NOW, UP, freshFeeds(), List.of(lag(0)),
                List.of(new PipelineStatus.SinkStatus("postgres", Optional.empty(), "PostgreSQL cannot be read")),
                1000, Duration.ofHours(1));

        assertThat(status.verdict()).isEqualTo(new PipelineStatus.Verdict(PipelineStatus.Level.HEALTHY, List.of()));
    }

    private static PipelineStatus.SinkStatus sink(final long behind) {
        return new PipelineStatus.SinkStatus("postgres", Optional.of(new SinkLag("postgres", List.of(
                new ConsumerLag.PartitionLag("csp.metrics.asb", 0, 5000 - behind, 5000, behind)))), "schema csp_hub");
    }

    @Test
    void shouldBeDegradedWhenDeadLettersArriveWithinTheWindow() {
        final List<PipelineStatus.FeedStatus> feeds = new java.util.ArrayList<>(freshFeeds());
        feeds.set(3, feed(FeedCatalog.shipped().feed("fire-incidents"), Duration.ofHours(1), 4));

        final PipelineStatus.Verdict verdict = status(UP, feeds, 0).verdict();

        assertThat(verdict).isEqualTo(new PipelineStatus.Verdict(PipelineStatus.Level.DEGRADED,
                List.of("fire-incidents has 4 new dead letter(s) within PT1H")));
    }

    @Test
    void shouldBeDownWhenTheBrokerDoesNotAnswer() {
        final PipelineStatus status = new PipelineStatus(NOW, new PipelineStatus.Health(false, "timeout", true, "ok"),
                List.of(), List.of(), 1000, Duration.ofHours(1));

        assertThat(status.verdict()).isEqualTo(new PipelineStatus.Verdict(PipelineStatus.Level.DOWN,
                List.of("Kafka does not answer: timeout")));
        assertThat(status.verdict().level().exitCode()).isEqualTo(2);
    }

    @Test
    void shouldBeDownWhenTheRegistryDoesNotAnswerEvenIfFeedsAreStale() {
        final List<PipelineStatus.FeedStatus> feeds = List.of(feed(FeedCatalog.shipped().feed("police-asb"), Duration.ofDays(9), 5));
        final PipelineStatus status = status(new PipelineStatus.Health(true, "ok", false, "refused"), feeds, 5000);

        assertThat(status.verdict().level()).isEqualTo(PipelineStatus.Level.DOWN);
        assertThat(status.verdict().reasons()).containsExactly("the schema registry does not answer: refused");
    }
}
