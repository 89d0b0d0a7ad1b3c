package org.csphub.hub.operations;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import org.csphub.config.HubConfig;
import org.csphub.topics.Feed;

/** How often each feed is expected to bring a new record: {@code freshness.<feed>} as an ISO-8601 duration. */
public final class FreshnessExpectations {

    public static final String KEY_PREFIX = "freshness.";

    private final Map<Feed, Duration> expectations;

    private FreshnessExpectations(final Map<Feed, Duration> expectations) {
        this.expectations = expectations;
    }

    public static FreshnessExpectations from(final HubConfig config) {
        final Map<Feed, Duration> expectations = new EnumMap<>(Feed.class);
        for (final Feed feed : Feed.values()) {
            final String key = KEY_PREFIX + feed.slug();
            final String value = config.get(key);
            try {
                final Duration duration = Duration.parse(value.trim());
                if (duration.isNegative() || duration.isZero()) {
                    throw new IllegalArgumentException("The freshness expectation " + key + "=" + value
                            + " (from " + config.origin(key) + ") must be positive");
                }
                expectations.put(feed, duration);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("The freshness expectation " + key + "=" + value + " (from "
                        + config.origin(key) + ") is not an ISO-8601 duration in days or hours, e.g. P1D, P35D, PT6H",
                        e);
            }
        }
        return new FreshnessExpectations(expectations);
    }

    public Duration of(final Feed feed) {
        return expectations.get(feed);
    }
}
