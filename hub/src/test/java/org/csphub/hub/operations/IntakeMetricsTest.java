package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.topics.Feed;
import org.junit.jupiter.api.Test;

class IntakeMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IntakeMetrics metrics = new IntakeMetrics(registry);

    private double count(final String name, final Feed feed) {
        return registry.get(name).tag("feed", feed.slug()).counter().count();
    }

    @Test
    void shouldAddEachIntakesRowsAndBytesToItsFeed() {
        metrics.record(Feed.FIRE_INCIDENTS, new IntakeSummary("fire-incidents", "fire.csv", null, 12, 9, 1, 3,
                Map.of("BAD_DATE", 3L), List.of()), 4096);
        metrics.record(Feed.FIRE_INCIDENTS, new IntakeSummary("fire-incidents", "fire-2.csv", null, 2, 2, 0, 0,
                Map.of(), List.of()), 100);

        assertThat(count(MeterNames.ROWS_ACCEPTED, Feed.FIRE_INCIDENTS)).isEqualTo(11.0);
        assertThat(count(MeterNames.ROWS_REJECTED, Feed.FIRE_INCIDENTS)).isEqualTo(3.0);
        assertThat(count(MeterNames.BYTES_RECEIVED, Feed.FIRE_INCIDENTS)).isEqualTo(4196.0);
        assertThat(count(MeterNames.ROWS_ACCEPTED, Feed.POLICE_ASB)).as("another feed").isZero();
    }

    @Test
    void shouldCountAnExportRefusedWholeAndItsBytesButNoRows() {
        metrics.record(Feed.POLICE_ASB, new IntakeSummary("police-asb", "notes.docx", "not a table", 0, 0, 0, 0,
                Map.of(), List.of()), 2048);

        assertThat(count(MeterNames.EXPORTS_REFUSED, Feed.POLICE_ASB)).isEqualTo(1.0);
        assertThat(count(MeterNames.BYTES_RECEIVED, Feed.POLICE_ASB)).isEqualTo(2048.0);
        assertThat(count(MeterNames.ROWS_ACCEPTED, Feed.POLICE_ASB)).isZero();
    }
}
