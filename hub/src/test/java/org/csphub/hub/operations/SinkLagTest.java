package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SinkLagTest {

    private static final TopicPartition ASB_0 = new TopicPartition("csp.metrics.asb", 0);
    private static final TopicPartition ASB_1 = new TopicPartition("csp.metrics.asb", 1);
    private static final TopicPartition FIRE_0 = new TopicPartition("csp.metrics.fire", 0);

    @Test
    void shouldCountFromTheStoredPositionToTheCommittedEnd() {
        // ten records and their commit marker (offsets 0-10): a sink past the marker has caught up
        final SinkLag lag = SinkLag.of("postgres", List.of(ASB_0, ASB_1), Map.of(ASB_0, 11L, ASB_1, 11L),
                Map.of(ASB_0, 0L, ASB_1, 0L), Map.of(ASB_0, 11L, ASB_1, 4L));

        assertThat(lag.partitions()).containsExactly(
                new ConsumerLag.PartitionLag("csp.metrics.asb", 0, 11, 11, 0),
                new ConsumerLag.PartitionLag("csp.metrics.asb", 1, 4, 11, 7));
        assertThat(lag.total()).isEqualTo(7);
    }

    @Test
    void shouldCountFromTheBeginningWhereNothingIsStored() {
        final SinkLag lag = SinkLag.of("postgres", List.of(ASB_0, FIRE_0), Map.of(ASB_0, 30L, FIRE_0, 8L),
                Map.of(ASB_0, 12L, FIRE_0, 0L), Map.of(FIRE_0, 8L));

        assertThat(lag.partitions()).containsExactly(
                new ConsumerLag.PartitionLag("csp.metrics.asb", 0, -1, 30, 18),
                new ConsumerLag.PartitionLag("csp.metrics.fire", 0, 8, 8, 0));
        assertThat(lag.total()).isEqualTo(18);
    }

    @Test
    void shouldNotCountRecordsRetentionRemovedNorGoBelowZero() {
        final SinkLag lag = SinkLag.of("postgres", List.of(ASB_0, ASB_1), Map.of(ASB_0, 100L, ASB_1, 5L),
                Map.of(ASB_0, 60L, ASB_1, 0L), Map.of(ASB_0, 20L, ASB_1, 9L));

        assertThat(lag.partitions()).extracting(ConsumerLag.PartitionLag::lag).containsExactly(40L, 0L);
    }

    @Test
    void shouldExportEveryPartitionAndTheTotalAndDropThemWhilePositionsAreNotKnown() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final SinkLagMonitor monitor = new SinkLagMonitor(null, "postgres", List.of("csp.metrics.asb"),
                Optional::empty).bindTo(registry);
        assertThat(monitor.lag()).isEmpty();

        monitor.accept(SinkLag.of("postgres", List.of(ASB_0, ASB_1), Map.of(ASB_0, 43L, ASB_1, 12L),
                Map.of(ASB_0, 0L, ASB_1, 0L), Map.of(ASB_0, 40L, ASB_1, 12L)));

        assertThat(registry.scrape()).contains(
                "csphub_sink_lag_records{partition=\"0\",sink=\"postgres\",topic=\"csp.metrics.asb\"} 3.0",
                "csphub_sink_lag_records{partition=\"1\",sink=\"postgres\",topic=\"csp.metrics.asb\"} 0.0",
                "csphub_sink_lag_total_records{sink=\"postgres\"} 3.0");
        assertThat(monitor.lag()).map(SinkLag::total).contains(3L);

        // the positions are read before the cluster is asked: not known, so nothing is measured
        assertThat(monitor.refresh()).isTrue();

        assertThat(monitor.lag()).isEmpty();
        assertThat(registry.scrape()).doesNotContain("csphub_sink_lag_records{")
                .contains("csphub_sink_lag_total_records{sink=\"postgres\"} NaN");
    }

    @Test
    void shouldCountAFailedRefreshAndKeepTheLastLag() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final SinkLagMonitor monitor = new SinkLagMonitor(null, "postgres", List.of("csp.metrics.asb"), () -> {
            throw new java.sql.SQLException("connection refused");
        }).bindTo(registry);
        monitor.accept(SinkLag.of("postgres", List.of(ASB_0), Map.of(ASB_0, 9L), Map.of(ASB_0, 0L),
                Map.of(ASB_0, 4L)));

        assertThat(monitor.refresh()).isFalse();

        assertThat(monitor.lag()).map(SinkLag::total).contains(5L);
        assertThat(registry.scrape()).contains(
                "csphub_monitor_refresh_failures_total{monitor=\"sink-lag\"} 1.0");
    }
}
