package org.csphub.hub.operations;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.csphub.config.HubConfig;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;

/**
 * How often each feed is expected to bring a new record: its contract's {@code freshness}, unless
 * {@code freshness.<feed>} sets another (an ISO-8601 duration).
 */
public final class FreshnessExpectations {

    public static final String KEY_PREFIX = "freshness.";

    private final Map<Feed, Duration> expectations;

    private FreshnessExpectations(final Map<Feed, Duration> expectations) {
        this.expectations = expectations;
    }

    /** The expectations of the configured catalog's feeds ({@code feeds.dir}). */
    public static FreshnessExpectations from(final HubConfig config) {
        return from(config, FeedCatalog.of(config));
    }

    /** Each feed's expectation: {@code freshness.<feed>} when set, else its contract's {@code freshness}. */
    public static FreshnessExpectations from(final HubConfig config, final FeedCatalog catalog) {
        final Map<Feed, Duration> expectations = new LinkedHashMap<>();
        for (final Feed feed : catalog.feeds()) {
            final String key = KEY_PREFIX + feed.slug();
            final Optional<String> value = config.find(key);
            if (value.isEmpty()) {
                expectations.put(feed, feed.contract().freshness());
                continue;
            }
            try {
                final Duration duration = Duration.parse(value.get().trim());
                if (duration.isNegative() || duration.isZero()) {
                    throw new IllegalArgumentException("The freshness expectation " + key + "=" + value.get()
                            + " (from " + config.origin(key) + ") must be positive");
                }
                expectations.put(feed, duration);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("The freshness expectation " + key + "=" + value.get() + " (from "
                        + config.origin(key) + ") is not an ISO-8601 duration in days or hours, e.g. P1D, P35D, PT6H",
                        e);
            }
        }
        return new FreshnessExpectations(expectations);
    }

    /** The feeds expected, in the catalog's order. */
    public List<Feed> feeds() {
        return List.copyOf(expectations.keySet());
    }

    public Duration of(final Feed feed) {
        return expectations.get(feed);
    }
}
