package org.csphub.hub.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline at one moment, as {@code hub status} shows it, and its verdict: down when the broker or
 * the registry does not answer, degraded when a feed is stale, a topology or a sink is further behind
 * than the threshold, or dead letters arrived within the window, healthy otherwise. A sink whose lag is
 * not known (its database does not answer, or it has never run against it) does not change the verdict.
 */
public record PipelineStatus(Instant at, Health health, List<FeedStatus> feeds, List<ConsumerLag> lags,
        List<SinkStatus> sinks, long lagThreshold, Duration deadLetterWindow) {

    public PipelineStatus {
        feeds = List.copyOf(feeds);
        lags = List.copyOf(lags);
        sinks = List.copyOf(sinks);
    }

    /** A status without sinks. */
    public PipelineStatus(final Instant at, final Health health, final List<FeedStatus> feeds,
            final List<ConsumerLag> lags, final long lagThreshold, final Duration deadLetterWindow) {
        this(at, health, feeds, lags, List.of(), lagThreshold, deadLetterWindow);
    }

    /** A sink's lag, or nothing when it is not known; {@code detail} says where it was read, or why not. */
    public record SinkStatus(String sink, Optional<SinkLag> lag, String detail) {
    }

    /** Whether the broker and the registry answer, and what they said. */
    public record Health(boolean kafka, String kafkaDetail, boolean registry, String registryDetail) {

        public boolean up() {
            return kafka && registry;
        }
    }

    /**
     * One feed: its freshness, rows accepted and rejected this month (records appended to its raw and
     * dead-letter topics since the month began), the dead-letter topic's size, how many of those
     * arrived within the window, and the most common rejection reasons this month.
     */
    public record FeedStatus(FeedFreshness freshness, long acceptedThisMonth, long rejectedThisMonth, long deadLetters,
            long recentDeadLetters, Map<String, Long> topReasons) {

        public FeedStatus {
            topReasons = Collections.unmodifiableMap(new LinkedHashMap<>(topReasons));
        }
    }

    /** The three outcomes, with their exit codes. */
    public enum Level {
        HEALTHY(0), DEGRADED(1), DOWN(2);

        private final int exitCode;

        Level(final int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** The level and every reason for it. */
    public record Verdict(Level level, List<String> reasons) {

        public Verdict {
            reasons = List.copyOf(reasons);
        }
    }

    public Verdict verdict() {
        final List<String> reasons = new ArrayList<>();
        if (!health.kafka()) {
            reasons.add("Kafka does not answer: " + health.kafkaDetail());
        }
        if (!health.registry()) {
            reasons.add("the schema registry does not answer: " + health.registryDetail());
        }
        if (!reasons.isEmpty()) {
            return new Verdict(Level.DOWN, reasons);
        }
        for (final FeedStatus feed : feeds) {
            if (feed.freshness().staleAt(at)) {
                reasons.add(feed.freshness().feed().slug() + " is stale: "
                        + feed.freshness().lastReceived().map(received -> "nothing received since " + received)
                        .orElse("nothing received yet") + " (expected every " + feed.freshness().expectation() + ")");
            }
            if (feed.recentDeadLetters() > 0) {
                reasons.add(feed.freshness().feed().slug() + " has " + feed.recentDeadLetters()
                        + " new dead letter(s) within " + deadLetterWindow);
            }
        }
        for (final ConsumerLag lag : lags) {
            if (lag.total() > lagThreshold) {
                reasons.add(lag.group() + " is " + lag.total() + " records behind (threshold " + lagThreshold + ")");
            }
        }
        for (final SinkStatus sink : sinks) {
            sink.lag().filter(lag -> lag.total() > lagThreshold).ifPresent(lag -> reasons.add("the " + sink.sink()
                    + " sink is " + lag.total() + " records behind (threshold " + lagThreshold + ")"));
        }
        return new Verdict(reasons.isEmpty() ? Level.HEALTHY : Level.DEGRADED, reasons);
    }
}
