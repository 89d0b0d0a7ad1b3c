package org.csphub.producers.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.apache.avro.generic.GenericRecord;
import org.csphub.geography.Area;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;

class AmbulanceCalloutsAdapterTest {

    private static final String HEADER = "callout_id,called_at,ward,sex,age\n";
    private final IntakeHarness harness = new IntakeHarness();

    private GenericRecord only() {
        return harness.raw(FeedCatalog.shipped().feed("ambulance-callouts")).get(0).value();
    }

    @Test
    void shouldPublishTheAgeBandAndNeverTheAge() {
        harness.csv(FeedCatalog.shipped().feed("ambulance-callouts"), HEADER + "AMB-1,2020-01-04T01:30,Market,m,34\n");

        assertThat(only()).isEqualTo(ExpectedRecord.of(FeedCatalog.shipped().feed("ambulance-callouts")).set("callout_id", "AMB-1")
                .set("called_at", Instant.parse("2020-01-04T01:30:00Z"))
                .set("area", new Area("E05002709", "Market", "E07000008", "Cambridge", null)).set("sex", "M")
                .set("age_band", "30-34").set("received_at", IntakeHarness.NOW).set("source", "test.csv:2").build());
    }

    @Test
    void shouldPublishANullBandWhenTheAgeWasNotRecorded() {
        harness.csv(FeedCatalog.shipped().feed("ambulance-callouts"), HEADER + "AMB-1,2020-01-04,Market,F,\n");

        assertThat(only().get("age_band")).isNull();
    }

    @Test
    void shouldRejectAnAgeThatIsNotANumber() {
        harness.csv(FeedCatalog.shipped().feed("ambulance-callouts"), HEADER + "AMB-1,2020-01-04,Market,F,thirty\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("ambulance-callouts"))).containsExactly("BAD_NUMBER");
    }

    @Test
    void shouldRejectAnAgeOutOfRange() {
        harness.csv(FeedCatalog.shipped().feed("ambulance-callouts"), HEADER + "AMB-1,2020-01-04,Market,F,131\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("ambulance-callouts"))).containsExactly("OUT_OF_RANGE");
    }

    @Test
    void shouldRejectASexOutsideTheList() {
        harness.csv(FeedCatalog.shipped().feed("ambulance-callouts"), HEADER + "AMB-1,2020-01-04,Market,X,30\n");

        assertThat(harness.onlyRejectionMessages(FeedCatalog.shipped().feed("ambulance-callouts"))).containsExactly(
                "test.csv line 2, column 4 (sex): 'X' is not one of M, F, U");
    }

    @Test
    void shouldRejectAMissingSex() {
        harness.csv(FeedCatalog.shipped().feed("ambulance-callouts"), HEADER + "AMB-1,2020-01-04,Market,,30\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("ambulance-callouts"))).containsExactly("MISSING_VALUE");
    }
}
