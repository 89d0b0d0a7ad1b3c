package org.csphub.producers.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.csphub.geography.Area;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;

class PoliceAsbAdapterTest {

    private static final String HEADER = "incident_id,reported_at,category,ward,lsoa\n";
    private final IntakeHarness harness = new IntakeHarness();

    private GenericRecord only() {
        return harness.raw(FeedCatalog.shipped().feed("police-asb")).get(0).value();
    }

    @Test
    void shouldPublishAValidRowAsAWholeRecordKeyedByTheIncidentId() {
        final IntakeSummary summary = harness.csv(FeedCatalog.shipped().feed("police-asb"),
                HEADER + "ASB-1,2020-07-01T22:15:00,nuisance,Kings Hedges,\n");

        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(harness.raw(FeedCatalog.shipped().feed("police-asb"))).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("ASB-1");
            assertThat(record.value()).isEqualTo(ExpectedRecord.of(FeedCatalog.shipped().feed("police-asb")).set("incident_id", "ASB-1")
                    .set("reported_at", Instant.parse("2020-07-01T21:15:00Z")).set("category", "NUISANCE")
                    .set("area", new Area("E05002708", "King's Hedges", "E07000008", "Cambridge", null))
                    .set("received_at", IntakeHarness.NOW).set("source", "test.csv:2").build());
        });
    }

    @Test
    void shouldResolveAnLsoaToItsWardOnTheDate() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "ASB-1,01/03/2020,PERSONAL,,E01017943\n");

        assertThat(only().get("area"))
                .isEqualTo(new Area("E05002702", "Abbey", "E07000008", "Cambridge", "E01017943"));
    }

    @Test
    void shouldResolveAWardNameToTheCodeInForceOnTheDate() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "ASB-1,2021-06-01,PERSONAL,Market,\n");

        assertThat(((Area) only().get("area")).getWardCode()).isEqualTo("E05013057");
    }

    @Test
    void shouldRejectAnUnknownWardSuggestingTheNearestNames() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "ASB-1,2020-07-01,NUISANCE,Markett,\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("police-asb"))).containsExactly("UNKNOWN_WARD");
        assertThat(harness.onlyRejectionMessages(FeedCatalog.shipped().feed("police-asb")).get(0))
                .isEqualTo("test.csv line 2, column 4 (ward): 'Markett' is not a ward in force on 2020-07-01; "
                        + "nearest: Market, Manea, Park");
    }

    @Test
    void shouldRejectAWardCodeOfABoundarySetNotInForce() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "ASB-1,2021-06-01,NUISANCE,E05002709,\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("police-asb"))).containsExactly("WARD_NOT_IN_FORCE");
    }

    @Test
    void shouldRejectAnUnknownLsoa() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "ASB-1,2020-07-01,NUISANCE,,E01999999\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("police-asb"))).containsExactly("UNKNOWN_LSOA");
    }

    @Test
    void shouldRejectAWardAndAnLsoaThatDisagree() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "ASB-1,2020-07-01,NUISANCE,Market,E01017943\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("police-asb"))).containsExactly("AREA_MISMATCH");
    }

    @Test
    void shouldRejectARowWithNeitherWardNorLsoa() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "ASB-1,2020-07-01,NUISANCE,,\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("police-asb"))).containsExactly("MISSING_VALUE");
    }

    @Test
    void shouldRejectADateInTheFuture() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "ASB-1,2021-09-01T13:00,NUISANCE,Market,\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("police-asb"))).containsExactly("FUTURE_DATE");
    }

    @Test
    void shouldRejectAnUnreadableDate() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "ASB-1,31/02/2020,NUISANCE,Market,\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("police-asb"))).containsExactly("BAD_DATE");
    }

    @Test
    void shouldRejectACategoryOutsideTheListNamingTheValidOnes() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "ASB-1,2020-07-01,ROWDY,Market,\n");

        assertThat(harness.onlyRejectionMessages(FeedCatalog.shipped().feed("police-asb"))).containsExactly(
                "test.csv line 2, column 3 (category): 'ROWDY' is not one of PERSONAL, NUISANCE, ENVIRONMENTAL");
    }

    @Test
    void shouldReportEveryReasonOfARowNotOnlyTheFirst() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + ",2020-13-01,ROWDY,Nowhere,\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("police-asb")))
                .isEqualTo(List.of("MISSING_VALUE", "BAD_DATE", "NOT_IN_ENUM", "UNKNOWN_WARD"));
    }
}
