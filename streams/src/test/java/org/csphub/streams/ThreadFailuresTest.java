package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

    private Instant now = Instant.parse("2021-03-01T09:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final ThreadFailures failures = new ThreadFailures(clock);

    @Test
    void shouldReplaceAFailedThreadThreeTimesInTenMinutesThenShutTheClientDownSayingWhy() {
        for (int i = 0; i < 3; i++) {
            assertThat(failures.handle(new IllegalStateException("store closed"))).as("failure %d", i + 1)
                    .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            now = now.plus(Duration.ofMinutes(3));
        }
        assertThat(failures.shutDownBecause()).isEmpty();

        final StreamThreadExceptionResponse fourth = failures.handle(
                new RuntimeException("wrapped", new IllegalArgumentException("the same bad state again")));

        assertThat(fourth).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.shutDownBecause()).hasValueSatisfying(why -> assertThat(why)
                .contains("4 stream-thread failures in 10 minutes")
                .contains("IllegalArgumentException: the same bad state again"));
    }

    @Test
    void shouldForgetFailuresOlderThanTheWindow() {
        for (int i = 0; i < 10; i++) {
            assertThat(failures.handle(new IllegalStateException("passing fault " + i))).as("failure %d", i + 1)
                    .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            now = now.plus(Duration.ofMinutes(4));
        }

        assertThat(failures.shutDownBecause()).isEmpty();
    }
}
