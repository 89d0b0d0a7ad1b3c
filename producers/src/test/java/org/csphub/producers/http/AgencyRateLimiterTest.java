package org.csphub.producers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token buckets on a clock that moves only when the test moves it. */
class AgencyRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AgencyRateLimiter limiter = new AgencyRateLimiter(3, now::get);

    private void advance(final Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    @Test
    void shouldGrantAMinutesAllowanceAtOnceThenSayWhenTheNextRequestIsDue() {
        assertThat(limiter.acquire("police")).isZero();
        assertThat(limiter.acquire("police")).isZero();
        assertThat(limiter.acquire("police")).isZero();

        assertThat(limiter.acquire("police")).isEqualTo(Duration.ofSeconds(20));
        assertThat(limiter.acquire("police")).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void shouldRefillOneRequestForEachShareOfTheMinute() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("police");
        }

        advance(Duration.ofSeconds(15));
        assertThat(limiter.acquire("police")).isEqualTo(Duration.ofSeconds(5));
        advance(Duration.ofSeconds(5));
        assertThat(limiter.acquire("police")).isZero();
        assertThat(limiter.acquire("police")).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void shouldNotSaveUpMoreThanAMinutesAllowance() {
        advance(Duration.ofHours(2));

        assertThat(limiter.acquire("police")).isZero();
        assertThat(limiter.acquire("police")).isZero();
        assertThat(limiter.acquire("police")).isZero();
        assertThat(limiter.acquire("police")).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void shouldKeepEachAgencysBucketApart() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("police");
        }

        assertThat(limiter.acquire("police")).isPositive();
        assertThat(limiter.acquire("fire")).isZero();
    }

    @Test
    void shouldNeverRefillMoreThanTheAllowanceWhenTheMinuteDoesNotDivideEvenly() {
        final AgencyRateLimiter seven = new AgencyRateLimiter(7, now::get);
        int granted = 0;
        for (int second = 0; second < 120; second++) {
            while (seven.acquire("police").isZero()) {
                granted++;
            }
            advance(Duration.ofSeconds(1));
        }

        // a full bucket of 7, then one every 60/7 s over the 119 s that followed (119 / 8.57 = 13.9)
        assertThat(granted).isEqualTo(7 + 13);
    }

    @Test
    void shouldRefuseAnAllowanceBelowOneRequestAMinute() {
        assertThatThrownBy(() -> new AgencyRateLimiter(0, now::get)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one request a minute");
    }
}
