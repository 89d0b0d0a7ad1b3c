package org.csphub.producers.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.apache.avro.generic.GenericRecord;
import org.csphub.geography.Area;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;

class FireIncidentsAdapterTest {

    private static final String HEADER = "incident_id,occurred_at,incident_type,cause,ward,district\n";
    private final IntakeHarness harness = new IntakeHarness();

    private GenericRecord only() {
        return harness.raw(FeedCatalog.shipped().feed("fire-incidents")).get(0).value();
    }

    @Test
    void shouldPublishADistrictLevelIncident() {
        harness.csv(FeedCatalog.shipped().feed("fire-incidents"), HEADER + "F-1,2020-02-01 10:00,secondary fire,deliberate,,Hunts\n");

        assertThat(only()).isEqualTo(ExpectedRecord.of(FeedCatalog.shipped().feed("fire-incidents")).set("incident_id", "F-1")
                .set("occurred_at", Instant.parse("2020-02-01T10:00:00Z")).set("incident_type", "SECONDARY_FIRE")
                .set("cause", "DELIBERATE").set("area", new Area(null, null, "E07000011", "Huntingdonshire", null))
                .set("received_at", IntakeHarness.NOW).set("source", "test.csv:2").build());
    }

    @Test
    void shouldDeriveTheDistrictFromTheWard() {
        harness.csv(FeedCatalog.shipped().feed("fire-incidents"), HEADER + "F-1,2020-02-01,PRIMARY_FIRE,ACCIDENTAL,Arbury,\n");

        assertThat(only().get("area")).isEqualTo(new Area("E05002703", "Arbury", "E07000008", "Cambridge", null));
    }

    @Test
    void shouldRejectAWardOutsideTheDistrictGiven() {
        harness.csv(FeedCatalog.shipped().feed("fire-incidents"), HEADER + "F-1,2020-02-01,PRIMARY_FIRE,ACCIDENTAL,Arbury,Fenland\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("fire-incidents"))).containsExactly("AREA_MISMATCH");
    }

    @Test
    void shouldRejectACauseOutsideTheList() {
        harness.csv(FeedCatalog.shipped().feed("fire-incidents"), HEADER + "F-1,2020-02-01,PRIMARY_FIRE,ARSON,,Fenland\n");

        assertThat(harness.onlyRejectionMessages(FeedCatalog.shipped().feed("fire-incidents"))).containsExactly(
                "test.csv line 2, column 4 (cause): 'ARSON' is not one of DELIBERATE, ACCIDENTAL, NOT_KNOWN");
    }

    @Test
    void shouldRejectAnIncidentTypeOutsideTheList() {
        harness.csv(FeedCatalog.shipped().feed("fire-incidents"), HEADER + "F-1,2020-02-01,BONFIRE,ACCIDENTAL,,Fenland\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("fire-incidents"))).containsExactly("NOT_IN_ENUM");
    }

    @Test
    void shouldRejectAnUnknownDistrictSuggestingTheNearest() {
        harness.csv(FeedCatalog.shipped().feed("fire-incidents"), HEADER + "F-1,2020-02-01,PRIMARY_FIRE,ACCIDENTAL,,Fenlands\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("fire-incidents"))).containsExactly("UNKNOWN_DISTRICT");
        assertThat(harness.onlyRejectionMessages(FeedCatalog.shipped().feed("fire-incidents")).get(0)).contains("nearest: Fenland");
    }

    @Test
    void shouldRejectARowWithNeitherWardNorDistrict() {
        harness.csv(FeedCatalog.shipped().feed("fire-incidents"), HEADER + "F-1,2020-02-01,PRIMARY_FIRE,ACCIDENTAL,,\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("fire-incidents"))).containsExactly("MISSING_VALUE");
    }
}
