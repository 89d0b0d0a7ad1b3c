package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SinkActivityTest {

    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void shouldTakeTheLastWriteFromTheMomentTheCountMoved() {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final SettableClock clock = new SettableClock(START);
        final AtomicLong written = new AtomicLong(40);
        SinkActivity.bind(registry, "postgres", written::get, clock);
        final double lastWrite = registry.get(MeterNames.SINK_LAST_WRITE).tag("sink", "postgres").gauge().value();
        assertThat(lastWrite).as("no write seen since start").isNaN();

        clock.advance(Duration.ofMinutes(5));
        written.addAndGet(7);
        assertThat(registry.get(MeterNames.SINK_RECORDS_WRITTEN).tag("sink", "postgres").functionCounter().count())
                .isEqualTo(47.0);
        clock.advance(Duration.ofMinutes(5));

        assertThat(registry.get(MeterNames.SINK_LAST_WRITE).tag("sink", "postgres").gauge().value())
                .isEqualTo(START.plus(Duration.ofMinutes(5)).getEpochSecond());
    }

    @Test
    void shouldKeepCountingAfterTheCallerDropsItsActivity() {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final AtomicLong written = new AtomicLong(11_660);
        SinkActivity.bind(registry, "postgres", written::get, new SettableClock(START));
        // the meters hold their object weakly unless told otherwise; a collection must not lose it
        for (int i = 0; i < 3; i++) {
            System.gc();
        }

        assertThat(registry.get(MeterNames.SINK_RECORDS_WRITTEN).tag("sink", "postgres").functionCounter().count())
                .isEqualTo(11_660.0);
    }
}
