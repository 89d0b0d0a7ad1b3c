package org.csphub.producers.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per agency: a bucket holds up to a minute's allowance, starts full, and refills at
 * the allowance spread evenly over the minute. A request takes one token or is refused with the time
 * until the next token. Credit is kept in nanoseconds of refill, so the arithmetic stays exact in
 * whole numbers, and time comes from an injected monotonic source.
 */
public final class AgencyRateLimiter {

    private static final long NANOS_PER_MINUTE = Duration.ofMinutes(1).toNanos();

    private final int perMinute;
    private final long nanosPerRequest;
    private final long capacityNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param perMinute requests an agency may make per minute, and in one burst
     * @param nanoTime a monotonic time source ({@code System::nanoTime} outside tests)
     */
    public AgencyRateLimiter(final int perMinute, final LongSupplier nanoTime) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("The intake's rate must allow at least one request a minute, not "
                    + perMinute);
        }
        this.perMinute = perMinute;
        // rounded up, so that a minute never refills more than the allowance
        this.nanosPerRequest = (NANOS_PER_MINUTE + perMinute - 1) / perMinute;
        this.capacityNanos = nanosPerRequest * perMinute;
        this.nanoTime = nanoTime;
    }

    public int perMinute() {
        return perMinute;
    }

    /** Takes a token from the agency's bucket: {@link Duration#ZERO} when granted, else how long until one is free. */
    public Duration acquire(final String agency) {
        final long now = nanoTime.getAsLong();
        return buckets.computeIfAbsent(agency, name -> new Bucket(capacityNanos, now)).take(now);
    }

    private final class Bucket {

        private long creditNanos;
        private long refilledAt;

        Bucket(final long creditNanos, final long refilledAt) {
            this.creditNanos = creditNanos;
            this.refilledAt = refilledAt;
        }

        synchronized Duration take(final long now) {
            // nanoTime values are only comparable by difference; a reading older than the last counts as no time
            final long elapsed = Math.max(0, now - refilledAt);
            if (elapsed > 0) {
                creditNanos = elapsed >= capacityNanos - creditNanos ? capacityNanos : creditNanos + elapsed;
                refilledAt = now;
            }
            if (creditNanos >= nanosPerRequest) {
                creditNanos -= nanosPerRequest;
                return Duration.ZERO;
            }
            return Duration.ofNanos(nanosPerRequest - creditNanos);
        }
    }
}
