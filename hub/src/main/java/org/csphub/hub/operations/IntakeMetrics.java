package org.csphub.hub.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;

/**
 * Counts what each intake (file publish, drop folder, HTTP POST) did, per feed. Every feed's counters
 * exist from the start at zero, so that {@code rate()} and {@code increase()} see the first intake.
 */
public final class IntakeMetrics {

    private final Map<Feed, Counter> accepted = new LinkedHashMap<>();
    private final Map<Feed, Counter> rejected = new LinkedHashMap<>();
    private final Map<Feed, Counter> bytes = new LinkedHashMap<>();
    private final Map<Feed, Counter> refused = new LinkedHashMap<>();

    /** The counters of the shipped feeds. */
    public IntakeMetrics(final MeterRegistry registry) {
        this(registry, FeedCatalog.shipped());
    }

    /** The counters of {@code catalog}'s feeds. */
    public IntakeMetrics(final MeterRegistry registry, final FeedCatalog catalog) {
        for (final Feed feed : catalog.feeds()) {
            accepted.put(feed, Counter.builder(MeterNames.ROWS_ACCEPTED).tag("feed", feed.slug())
                    .description("Rows accepted by the intake").register(registry));
            rejected.put(feed, Counter.builder(MeterNames.ROWS_REJECTED).tag("feed", feed.slug())
                    .description("Rows rejected to the dead-letter topic").register(registry));
            bytes.put(feed, Counter.builder(MeterNames.BYTES_RECEIVED).tag("feed", feed.slug())
                    .description("Bytes of partner exports received").register(registry));
            refused.put(feed, Counter.builder(MeterNames.EXPORTS_REFUSED).tag("feed", feed.slug())
                    .description("Exports refused whole").register(registry));
        }
    }

    /** Records one intake of {@code bytes} bytes and what became of its rows. */
    public void record(final Feed feed, final IntakeSummary summary, final long bytesReceived) {
        bytes.get(feed).increment(bytesReceived);
        if (summary.refused()) {
            refused.get(feed).increment();
            return;
        }
        accepted.get(feed).increment(summary.accepted());
        rejected.get(feed).increment(summary.rejected());
    }
}
