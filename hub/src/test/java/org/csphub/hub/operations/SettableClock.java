package org.csphub.hub.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A fixed clock that a test moves by hand. */
final class SettableClock extends Clock {

    private volatile Instant now;

    SettableClock(final Instant start) {
        this.now = start;
    }

    void advance(final Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone) {
        throw new UnsupportedOperationException("a UTC test clock");
    }
}
