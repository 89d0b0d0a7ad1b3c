package org.csphub.streams.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.streams.Records.ABBEY;
import static org.csphub.streams.Records.asb;

import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.MetricName;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.streams.MetricsTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HoldMetricTest {

    /** The records below were appended a year before the wall clock starts: a backlog, which every stage holds. */
    private static final Instant APPENDED = Instant.parse("2021-01-10T10:00:00Z");
    private final MetricsTestDriver driver = new MetricsTestDriver(false, APPENDED.plusSeconds(365L * 24 * 3600));

    @AfterEach
    void close() {
        driver.close();
    }

    private long stagesHolding() {
        return HoldMetric.stagesHolding(driver.driver().metrics(), thread -> true);
    }

    private Map<String, Double> heldByStage() {
        return driver.driver().metrics().entrySet().stream()
                .filter(metric -> metric.getKey().group().equals(HoldMetric.GROUP)
                        && metric.getKey().name().equals(HoldMetric.NAME)
                        && metric.getKey().tags().get("stage").startsWith("asb"))
                .collect(Collectors.toMap(metric -> metric.getKey().tags().get("stage"),
                        metric -> ((Number) metric.getValue().metricValue()).doubleValue()));
    }

    @Test
    void shouldSayHowLongEachHoldingStageHasHeldUntilItPassesItsChangesOn() {
        assertThat(stagesHolding()).as("before any record").isZero();
        driver.asb("A1", asb("A1", "2020-09-30T12:00:00Z", AsbCategory.NUISANCE, ABBEY), APPENDED);
        driver.asb("A2", asb("A2", "2020-10-01T12:00:00Z", AsbCategory.PERSONAL, ABBEY), APPENDED);

        driver.driver().advanceWallClockTime(Coalescing.CHECK_INTERVAL);
        driver.driver().advanceWallClockTime(Coalescing.CHECK_INTERVAL);
        assertThat(stagesHolding()).as("the combiner holds the backlog's cells").isPositive();
        final Map<String, Double> held = heldByStage();
        assertThat(held).as("a metric for each holding stage of the family").isNotEmpty();
        assertThat(held.values()).as("held for the checks since the records arrived")
                .anyMatch(ms -> ms >= Coalescing.CHECK_INTERVAL.toMillis());

        assertThat(driver.latest("csp.metrics.asb")).as("the metrics, once every stage has passed them on")
                .isNotEmpty();
        assertThat(driver.latest("csp.published.asb")).isNotEmpty();
        driver.driver().advanceWallClockTime(Coalescing.CHECK_INTERVAL);
        assertThat(heldByStage()).as("every stage, after passing its changes on").allSatisfy((stage, ms) ->
                assertThat(ms).as(stage).isZero());
        assertThat(stagesHolding()).isZero();
    }

    @Test
    void shouldCountOnlyTheStagesOfLiveThreads() {
        driver.asb("A1", asb("A1", "2020-09-30T12:00:00Z", AsbCategory.NUISANCE, ABBEY), APPENDED);
        driver.driver().advanceWallClockTime(Coalescing.CHECK_INTERVAL);
        assertThat(stagesHolding()).isPositive();
        assertThat(HoldMetric.stagesHolding(driver.driver().metrics(), thread -> false)).as("no live thread")
                .isZero();
    }

    @Test
    void shouldNameEachMetricByItsThreadTaskAndStage() {
        driver.asb("A1", asb("A1", "2020-09-30T12:00:00Z", AsbCategory.NUISANCE, ABBEY), APPENDED);
        driver.driver().advanceWallClockTime(Coalescing.CHECK_INTERVAL);
        assertThat(driver.driver().metrics().keySet().stream().filter(name -> name.group().equals(HoldMetric.GROUP))
                .map(MetricName::tags)).isNotEmpty().allSatisfy(tags ->
                assertThat(tags).containsKeys("thread-id", "task-id", "stage"));
    }
}
