package org.csphub.producers.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.csphub.config.HubConfig;
import org.apache.avro.generic.GenericRecord;
import org.csphub.geography.Area;
import org.csphub.geography.Geography;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.producers.privacy.ClientHasher;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;

class IdvaReferralsAdapterTest {

    private static final String HEADER =
            "referral_id,referred_on,district,strand,dash_score,risk_level,engaged,client_ref,male,disability,lgbt\n";
    private final IntakeHarness harness = new IntakeHarness();

    private GenericRecord only() {
        return harness.raw(FeedCatalog.shipped().feed("idva-referrals")).get(0).value();
    }

    private static Object risk(final String level) {
        return ExpectedRecord.symbol(FeedCatalog.shipped().feed("idva-referrals"), "risk_level", level);
    }

    @Test
    void shouldPublishAReferralWithTheClientHashedAndTheRiskFromTheScore() {
        harness.csv(FeedCatalog.shipped().feed("idva-referrals"), HEADER + "R-1,15/05/2019,South Cambs,district,14,,yes,CL1,no,Y,n\n");

        assertThat(only()).isEqualTo(ExpectedRecord.of(FeedCatalog.shipped().feed("idva-referrals")).set("referral_id", "R-1")
                .set("referred_on", LocalDate.of(2019, 5, 15))
                .set("area", new Area(null, null, "E07000012", "South Cambridgeshire", null)).set("strand", "DISTRICT")
                .set("dash_score", 14).set("risk_level", "HIGH").set("engaged", true)
                .set("client_hash", new ClientHasher(IntakeHarness.IDVA_KEY.getBytes(StandardCharsets.UTF_8)).hash("CL1"))
                .set("male", false).set("disability", true).set("lgbt", false).set("received_at", IntakeHarness.NOW)
                .set("source", "test.csv:2").build());
        assertThat(only().toString()).doesNotContain("CL1");
    }

    @Test
    void shouldDeriveMediumAndStandardRiskFromTheScore() {
        harness.csv(FeedCatalog.shipped().feed("idva-referrals"), HEADER + "R-1,2019-05-15,Hunts,A8,13,,no,C,no,no,no\n"
                + "R-2,2019-05-15,Hunts,A8,9,,no,C,no,no,no\n");

        assertThat(harness.raw(FeedCatalog.shipped().feed("idva-referrals"))).extracting(record -> record.value().get("risk_level"))
                .containsExactly(risk("MEDIUM"), risk("STANDARD"));
    }

    @Test
    void shouldTakeAGivenRiskLevelOverTheScore() {
        harness.csv(FeedCatalog.shipped().feed("idva-referrals"), HEADER + "R-1,2019-05-15,Pboro,HEALTH,3,high,no,C,no,no,no\n");

        assertThat(only().get("risk_level")).isEqualTo(risk("HIGH"));
        assertThat(only().get("dash_score")).isEqualTo(3);
    }

    @Test
    void shouldRejectARowWithNeitherScoreNorLevel() {
        harness.csv(FeedCatalog.shipped().feed("idva-referrals"), HEADER + "R-1,2019-05-15,Hunts,A8,,,no,C,no,no,no\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("idva-referrals"))).containsExactly("MISSING_VALUE");
    }

    @Test
    void shouldRejectAScoreAboveTheChecklistsMaximum() {
        harness.csv(FeedCatalog.shipped().feed("idva-referrals"), HEADER + "R-1,2019-05-15,Hunts,A8,28,,no,C,no,no,no\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("idva-referrals"))).containsExactly("OUT_OF_RANGE");
    }

    @Test
    void shouldRejectAYesNoValueThatIsNeither() {
        harness.csv(FeedCatalog.shipped().feed("idva-referrals"), HEADER + "R-1,2019-05-15,Hunts,A8,10,,maybe,C,no,no,no\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("idva-referrals"))).containsExactly("BAD_BOOLEAN");
    }

    @Test
    void shouldRejectAnUnknownDistrictAndAnUnknownStrandTogether() {
        harness.csv(FeedCatalog.shipped().feed("idva-referrals"), HEADER + "R-1,2019-05-15,Norfolk,ELDERS,10,,no,C,no,no,no\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("idva-referrals"))).containsExactly("UNKNOWN_DISTRICT", "NOT_IN_ENUM");
    }

    @Test
    void shouldRejectAMissingClientReference() {
        harness.csv(FeedCatalog.shipped().feed("idva-referrals"), HEADER + "R-1,2019-05-15,Hunts,A8,10,,no,,no,no,no\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("idva-referrals"))).containsExactly("MISSING_VALUE");
    }

    @Test
    void shouldRefuseToStartWithoutAKey() {
        final FeedAdapters adapters = FeedAdapters.of(HubConfig.load(Optional.empty(), Map.of(), Map.of()),
                Geography.defaults());

        assertThatThrownBy(() -> adapters.of(FeedCatalog.shipped().feed("idva-referrals"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("idva.client.key");
    }
}
