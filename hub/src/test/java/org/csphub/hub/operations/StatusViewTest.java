package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;

class StatusViewTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");

    /** Most frequent first, as the probe ranks them. */
    private static Map<String, Long> reasons() {
        final Map<String, Long> reasons = new LinkedHashMap<>();
        reasons.put("UNKNOWN_WARD", 5L);
        reasons.put("BAD_DATE", 2L);
        return reasons;
    }

    private static PipelineStatus status() {
        final PipelineStatus.FeedStatus police = new PipelineStatus.FeedStatus(new FeedFreshness(FeedCatalog.shipped().feed("police-asb"),
                Optional.of(NOW.minus(Duration.ofDays(3))), Optional.of(NOW.minus(Duration.ofHours(2))),
                Duration.ofDays(1)), 420, 7, 12, 0, reasons());
        final PipelineStatus.FeedStatus fire = new PipelineStatus.FeedStatus(new FeedFreshness(FeedCatalog.shipped().feed("fire-incidents"),
                Optional.empty(), Optional.empty(), Duration.ofDays(8)), 0, 0, 0, 0, Map.of());
        return new PipelineStatus(NOW, new PipelineStatus.Health(true, "1 broker(s) answering", true,
                "http://registry"), List.of(police, fire), List.of(new ConsumerLag("csp-hub-metrics",
                List.of(new ConsumerLag.PartitionLag("csp.raw.police-asb", 0, 90, 100, 10)))),
                List.of(new PipelineStatus.SinkStatus("postgres", Optional.of(new SinkLag("postgres", List.of(
                        new ConsumerLag.PartitionLag("csp.metrics.asb", 0, 40, 43, 3),
                        new ConsumerLag.PartitionLag("csp.metrics.asb", 1, 12, 12, 0)))), "offsets stored in schema "
                        + "csp_hub at jdbc:postgresql://db/hub"),
                        new PipelineStatus.SinkStatus("postgres-replica", Optional.empty(), "PostgreSQL at "
                        + "jdbc:postgresql://replica/hub cannot be read: Connection refused")),
                1000, Duration.ofHours(1));
    }

    @Test
    void shouldPrintOneLinePerFeedAndWhyTheStatusIsDegraded() {
        final StringWriter text = new StringWriter();

        StatusView.printText(status(), new PrintWriter(text));

        assertThat(text.toString().lines()).contains(
                "csp-hub status at 2026-03-15T12:00:00Z: DEGRADED",
                "police-asb           ok         2h ago       3d ago             420         7       12  "
                        + "UNKNOWN_WARD 5, BAD_DATE 2",
                "fire-incidents       STALE      never        never                0         0        0  ",
                "topology csp-hub-metrics: 10 record(s) behind (threshold 1000)",
                "sink postgres: 3 record(s) behind (threshold 1000); offsets stored in schema csp_hub at "
                        + "jdbc:postgresql://db/hub",
                "sink postgres-replica: lag not known; PostgreSQL at jdbc:postgresql://replica/hub cannot be read: "
                        + "Connection refused",
                "! fire-incidents is stale: nothing received yet (expected every PT192H)");
    }

    @Test
    void shouldGiveScriptsTheSameFactsAsATree() {
        final Map<String, Object> tree = StatusView.tree(status());

        assertThat(tree).containsEntry("status", "DEGRADED").containsEntry("exitCode", 1);
        @SuppressWarnings("unchecked")
        final Map<String, Map<String, Object>> feeds = (Map<String, Map<String, Object>>) tree.get("feeds");
        assertThat(feeds.get("police-asb")).containsEntry("acceptedThisMonth", 420L)
                .containsEntry("rejectedThisMonth", 7L).containsEntry("stale", false)
                .containsEntry("lastReceived", "2026-03-15T10:00:00Z")
                .containsEntry("topReasons", Map.of("UNKNOWN_WARD", 5L, "BAD_DATE", 2L));
        assertThat(feeds.get("fire-incidents")).containsEntry("stale", true).containsEntry("lastReceived", null);
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> sinks = (List<Map<String, Object>>) tree.get("sinks");
        assertThat(sinks).hasSize(2);
        assertThat(sinks.get(0)).containsEntry("sink", "postgres").containsEntry("lag", 3L)
                .containsEntry("partitions", List.of(
                        Map.of("topic", "csp.metrics.asb", "partition", 0, "lag", 3L),
                        Map.of("topic", "csp.metrics.asb", "partition", 1, "lag", 0L)));
        assertThat(sinks.get(1)).containsEntry("sink", "postgres-replica").containsEntry("lag", null)
                .containsEntry("partitions", List.of());
        assertThat((String) sinks.get(1).get("detail")).contains("cannot be read");
    }
}
