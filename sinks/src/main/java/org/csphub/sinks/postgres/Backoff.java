package org.csphub.sinks.postgres;

import java.time.Duration;

/** Exponential back-off between attempts: doubles from {@code initial} up to {@code max}. */
final class Backoff {

    private final Duration max;
    private Duration next;

    Backoff(final Duration initial, final Duration max) {
        this.max = max;
        this.next = initial;
    }

    /** The wait before the next attempt; each call doubles the one after. */
    Duration next() {
        final Duration current = next;
        final Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }
}
