package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;

class IntakeMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IntakeMetrics metrics = new IntakeMetrics(registry);

    private double count(final String name, final Feed feed) {
        return registry.get(name).tag("feed", feed.slug()).counter().count();
    }

    @Test
    void shouldAddEachIntakesRowsAndBytesToItsFeed() {
        metrics.record(FeedCatalog.shipped().feed("fire-incidents"), new IntakeSummary("fire-incidents", "fire.csv", null, 12, 9, 1, 3,
                Map.of("BAD_DATE", 3L), List.of()), 4096);
        metrics.record(FeedCatalog.shipped().feed("fire-incidents"), new IntakeSummary("fire-incidents", "fire-2.csv", null, 2, 2, 0, 0,
                Map.of(), List.of()), 100);

        assertThat(count(MeterNames.ROWS_ACCEPTED, FeedCatalog.shipped().feed("fire-incidents"))).isEqualTo(11.0);
        assertThat(count(MeterNames.ROWS_REJECTED, FeedCatalog.shipped().feed("fire-incidents"))).isEqualTo(3.0);
        assertThat(count(MeterNames.BYTES_RECEIVED, FeedCatalog.shipped().feed("fire-incidents"))).isEqualTo(4196.0);
        assertThat(count(MeterNames.ROWS_ACCEPTED, FeedCatalog.shipped().feed("police-asb"))).as("another feed").isZero();
    }

    @Test
    void shouldCountAnExportRefusedWholeAndItsBytesButNoRows() {
        metrics.record(FeedCatalog.shipped().feed("police-asb"), new IntakeSummary("police-asb", "notes.docx", "not a table", 0, 0, 0, 0,
                Map.of(), List.of()), 2048);

        assertThat(count(MeterNames.EXPORTS_REFUSED, FeedCatalog.shipped().feed("police-asb"))).isEqualTo(1.0);
        assertThat(count(MeterNames.BYTES_RECEIVED, FeedCatalog.shipped().feed("police-asb"))).isEqualTo(2048.0);
        assertThat(count(MeterNames.ROWS_ACCEPTED, FeedCatalog.shipped().feed("police-asb"))).isZero();
    }
}
