package org.csphub.hub.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.csphub.topics.Feed;

/**
 * How fresh one feed is: the event time of the newest record seen and when the hub accepted the newest
 * record, against the feed's expectation.
 */
public record FeedFreshness(Feed feed, Optional<Instant> newestEvent, Optional<Instant> lastReceived,
        Duration expectation) {

    /** Stale when nothing has been received, or the last record received is older than the expectation. */
    public boolean staleAt(final Instant now) {
        return lastReceived.map(received -> Duration.between(received, now).compareTo(expectation) > 0).orElse(true);
    }

    /** How long ago the last record was received. */
    public Optional<Duration> ageAt(final Instant now) {
        return lastReceived.map(received -> Duration.between(received, now));
    }
}
