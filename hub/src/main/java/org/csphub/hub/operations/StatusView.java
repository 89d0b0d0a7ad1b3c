package org.csphub.hub.operations;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@link PipelineStatus} for a terminal (one screen) or for scripts (a JSON tree). */
public final class StatusView {

    private StatusView() {
    }

    public static void printText(final PipelineStatus status, final PrintWriter out) {
        final PipelineStatus.Verdict verdict = status.verdict();
        out.printf("csp-hub status at %s: %s%n%n", status.at().truncatedTo(ChronoUnit.SECONDS), verdict.level());
        final PipelineStatus.Health health = status.health();
        out.printf("kafka            %-5s %s%n", health.kafka() ? "up" : "DOWN", health.kafkaDetail());
        out.printf("schema registry  %-5s %s%n", health.registry() ? "up" : "DOWN", health.registryDetail());
        if (!status.feeds().isEmpty()) {
            out.printf("%n%-20s %-10s %-12s %-12s %9s %9s %8s  %s%n", "feed", "fresh", "last row", "newest event",
                    "accepted", "rejected", "dlq", "top reasons (this month)");
            for (final PipelineStatus.FeedStatus feed : status.feeds()) {
                final FeedFreshness freshness = feed.freshness();
                out.printf("%-20s %-10s %-12s %-12s %9d %9d %8d  %s%n", freshness.feed().slug(),
                        freshness.staleAt(status.at()) ? "STALE" : "ok", ago(freshness.lastReceived(), status.at()),
                        ago(freshness.newestEvent(), status.at()), feed.acceptedThisMonth(), feed.rejectedThisMonth(),
                        feed.deadLetters(), feed.topReasons().entrySet().stream()
                                .map(entry -> entry.getKey() + " " + entry.getValue())
                                .collect(Collectors.joining(", ")));
            }
            out.printf("(accepted and rejected count this month's records; dlq is the dead-letter topic's size)%n");
        }
        for (final ConsumerLag lag : status.lags()) {
            out.printf("%ntopology %s: %d record(s) behind (threshold %d)%n", lag.group(), lag.total(),
                    status.lagThreshold());
        }
        for (final PipelineStatus.SinkStatus sink : status.sinks()) {
            out.printf("sink %s: %s%n", sink.sink(), sink.lag().map(lag -> lag.total() + " record(s) behind (threshold "
                    + status.lagThreshold() + ")").orElse("lag not known") + "; " + sink.detail());
        }
        if (!verdict.reasons().isEmpty()) {
            out.printf("%n");
            verdict.reasons().forEach(reason -> out.printf("! %s%n", reason));
        }
        out.flush();
    }

    private static String ago(final Optional<Instant> time, final Instant now) {
        return time.map(instant -> {
            final Duration age = Duration.between(instant, now);
            if (age.isNegative()) {
                return "in future";
            }
            if (age.toDays() > 0) {
                return age.toDays() + "d ago";
            }
            if (age.toHours() > 0) {
                return age.toHours() + "h ago";
            }
            return age.toMinutes() + "m ago";
        }).orElse("never");
    }

    /** The JSON tree: plain maps, lists, strings and numbers. */
    public static Map<String, Object> tree(final PipelineStatus status) {
        final PipelineStatus.Verdict verdict = status.verdict();
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("at", status.at().toString());
        root.put("status", verdict.level().name());
        root.put("exitCode", verdict.level().exitCode());
        root.put("reasons", verdict.reasons());
        final PipelineStatus.Health health = status.health();
        root.put("health", Map.of(
                "kafka", Map.of("up", health.kafka(), "detail", health.kafkaDetail()),
                "schemaRegistry", Map.of("up", health.registry(), "detail", health.registryDetail())));
        final Map<String, Object> feeds = new LinkedHashMap<>();
        for (final PipelineStatus.FeedStatus feed : status.feeds()) {
            final FeedFreshness freshness = feed.freshness();
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("stale", freshness.staleAt(status.at()));
            entry.put("expectation", freshness.expectation().toString());
            entry.put("lastReceived", freshness.lastReceived().map(Instant::toString).orElse(null));
            entry.put("newestEvent", freshness.newestEvent().map(Instant::toString).orElse(null));
            entry.put("acceptedThisMonth", feed.acceptedThisMonth());
            entry.put("rejectedThisMonth", feed.rejectedThisMonth());
            entry.put("deadLetters", feed.deadLetters());
            entry.put("recentDeadLetters", feed.recentDeadLetters());
            entry.put("topReasons", feed.topReasons());
            feeds.put(freshness.feed().slug(), entry);
        }
        root.put("feeds", feeds);
        final List<Map<String, Object>> lags = new ArrayList<>();
        for (final ConsumerLag lag : status.lags()) {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("group", lag.group());
            entry.put("lag", lag.total());
            entry.put("partitions", lag.partitions().stream().map(partition -> Map.of("topic", partition.topic(),
                    "partition", partition.partition(), "lag", partition.lag())).toList());
            lags.add(entry);
        }
        root.put("topologies", lags);
        final List<Map<String, Object>> sinks = new ArrayList<>();
        for (final PipelineStatus.SinkStatus sink : status.sinks()) {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("sink", sink.sink());
            entry.put("lag", sink.lag().map(SinkLag::total).orElse(null));
            entry.put("partitions", sink.lag().map(lag -> lag.partitions().stream().map(partition -> Map.of(
                    "topic", partition.topic(), "partition", partition.partition(), "lag", partition.lag())).toList())
                    .orElse(List.of()));
            entry.put("detail", sink.detail());
            sinks.add(entry);
        }
        root.put("sinks", sinks);
        root.put("lagThreshold", status.lagThreshold());
        root.put("deadLetterWindow", status.deadLetterWindow().toString());
        return root;
    }
}
