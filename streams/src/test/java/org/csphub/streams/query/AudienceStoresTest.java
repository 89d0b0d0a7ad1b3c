package org.csphub.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.csphub.access.Audience;
import org.csphub.feeds.ambulance.Sex;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.streams.MetricsTestDriver;
import org.csphub.streams.Records;
import org.junit.jupiter.api.Test;

/**
 * The stores the query API reads for each audience, in the whole topology: two assault callouts in one
 * ward and month are a count a partner sees and the public does not.
 */
class AudienceStoresTest {

    @Test
    void shouldHoldTheFullFiguresForPartnersBesideThePublishedOnes() {
        try (MetricsTestDriver metrics = new MetricsTestDriver(true)) {
            metrics.ambulance("AMB-1", Records.callout("AMB-1", "2020-09-12T22:15:00Z", Records.ABBEY, Sex.M, "20-24"),
                    Instant.parse("2020-10-01T09:00:00Z"));
            metrics.ambulance("AMB-2", Records.callout("AMB-2", "2020-09-19T23:40:00Z", Records.ABBEY, Sex.F, "25-29"),
                    Instant.parse("2020-10-01T09:00:01Z"));
            metrics.settle();

            final AreaMetric partner = abbeySeptember(metrics, Audience.PARTNER);
            final AreaMetric published = abbeySeptember(metrics, Audience.PUBLIC);

            // two callouts, as piped above
            assertThat(partner.getValue()).isEqualTo(2.0);
            assertThat(partner.getSuppressed()).isFalse();
            // a count of 2 is withheld from the public
            assertThat(published.getValue()).isNull();
            assertThat(published.getSuppressed()).isTrue();
        }
    }

    private static AreaMetric abbeySeptember(final MetricsTestDriver metrics, final Audience audience) {
        final KeyValueStore<String, AreaMetric> store = metrics.driver()
                .getKeyValueStore(MetricsQueryService.storeFor("ambulance", audience));
        final List<AreaMetric> found = new ArrayList<>();
        try (KeyValueIterator<String, AreaMetric> all = store.all()) {
            all.forEachRemaining(entry -> {
                final AreaMetric value = entry.value;
                if (value.getMetric().equals("ambulance.callouts") && value.getDimension() == null
                        && value.getAreaType() == AreaType.WARD && value.getAreaCode().equals(Records.ABBEY)
                        && value.getPeriodType() == PeriodType.MONTH && value.getPeriod().equals("2020-09")) {
                    found.add(value);
                }
            });
        }
        assertThat(found).as("Abbey's callouts of 2020-09 in the %s store", audience).hasSize(1);
        return found.get(0);
    }
}
