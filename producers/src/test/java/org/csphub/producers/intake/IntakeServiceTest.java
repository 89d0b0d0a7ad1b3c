package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.csphub.config.HubConfig;
import org.csphub.geography.Area;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;

class IntakeServiceTest {

    private static final String HEADER = "incident_id,reported_at,category,ward\n";
    private final IntakeHarness harness = new IntakeHarness();

    @Test
    void shouldRefuseAFileWithMissingAndUnexpectedColumnsNamingThem() {
        final IntakeSummary summary = harness.csv(FeedCatalog.shipped().feed("police-asb"), "incident_id,reported_at,name,ward\nA,2020-01-01,x,Market\n");

        assertThat(summary.refusal()).isEqualTo("The header does not match the police-asb export contract: "
                + "missing column(s): category; unexpected column(s): name (columns outside the contract are refused "
                + "so that personal data cannot enter by accident; to drop one, list it in intake.ignored.columns). "
                + "Expected columns: incident_id, reported_at, category, ward|lsoa, [action].");
        assertThat(summary.rowsRead()).isZero();
        assertThat(harness.producer.history()).isEmpty();
    }

    @Test
    void shouldDropAColumnConfiguredAsIgnored() {
        final IntakeHarness ignoring = new IntakeHarness(Map.of(HubConfig.INTAKE_IGNORED_COLUMNS, "police-asb:Officer"));

        final IntakeSummary summary = ignoring.csv(FeedCatalog.shipped().feed("police-asb"),
                "incident_id,reported_at,category,ward,officer\nA,2020-01-01,NUISANCE,Market,PC Smith\n");

        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(ignoring.raw(FeedCatalog.shipped().feed("police-asb")).get(0).value().toString()).doesNotContain("Smith");
    }

    @Test
    void shouldRejectTheLaterRowsOfADuplicateId() {
        final IntakeSummary summary = harness.csv(FeedCatalog.shipped().feed("police-asb"),
                HEADER + "A,2020-01-01,NUISANCE,Market\nA,2020-01-02,PERSONAL,Market\n");

        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(harness.onlyRejectionMessages(FeedCatalog.shipped().feed("police-asb"))).containsExactly("test.csv line 3, column 1 "
                + "(incident_id): id 'A' is already used on line 2 of this file; only the first is taken");
    }

    @Test
    void shouldPublishATombstoneForADeleteRow() {
        final IntakeSummary summary = harness.csv(FeedCatalog.shipped().feed("police-asb"),
                "incident_id,reported_at,category,ward,action\nA,,,,DELETE\n");

        assertThat(summary.deletes()).isEqualTo(1);
        assertThat(harness.raw(FeedCatalog.shipped().feed("police-asb"))).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("A");
            assertThat(record.value()).isNull();
        });
    }

    @Test
    void shouldRejectAnUnknownAction() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), "incident_id,reported_at,category,ward,action\nA,2020-01-01,NUISANCE,Market,DROP\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("police-asb"))).containsExactly("NOT_IN_ENUM");
    }

    @Test
    void shouldRejectARowWithTheWrongNumberOfFields() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "A,2020-01-01,NUISANCE\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("police-asb"))).containsExactly("WRONG_FIELD_COUNT");
    }

    @Test
    void shouldRejectAValueUnderAnUnnamedColumn() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), "incident_id,reported_at,category,ward,\nA,2020-01-01,NUISANCE,Market,Jane Doe\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("police-asb"))).containsExactly("UNNAMED_COLUMN");
    }

    @Test
    void shouldReadABomSemicolonsQuotedLineBreaksAndUkDates() {
        final byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(bom);
        file.writeBytes(("Incident_ID;Reported_At;Category;Ward\n\"A;1\";30/09/2020 22:15;nuisance;\"King's\nHedges\"\n"
                + "B;01/10/2020;PERSONAL;Market\n").getBytes(StandardCharsets.UTF_8));

        final IntakeSummary summary = harness.bytes(FeedCatalog.shipped().feed("police-asb"), file.toByteArray(), ExportFormat.CSV);

        assertThat(summary.accepted()).isEqualTo(2);
        assertThat(harness.raw(FeedCatalog.shipped().feed("police-asb"))).extracting(record -> record.key()).containsExactly("A;1", "B");
        // a line break inside a quoted name reads as a space; the next row starts on line 4
        assertThat(((Area) harness.raw(FeedCatalog.shipped().feed("police-asb")).get(0).value().get("area")).getWardName())
                .isEqualTo("King's Hedges");
        assertThat(harness.raw(FeedCatalog.shipped().feed("police-asb")).get(1).value().get("source")).isEqualTo("test.csv:4");
    }

    @Test
    void shouldSendALineWithAStrayQuoteToTheDeadLettersWithItsTextAndTakeTheRowsAfterIt() {
        final IntakeSummary summary = harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "A,2020-01-01,NUISANCE,Market\n"
                + "B,2020-01-01,\"NUISANCE,Market\nC,2020-01-01,NUISANCE,Market\nD,2020-01-01,NUISANCE,\"Market\"\n");

        assertThat(summary.accepted()).isEqualTo(3);
        assertThat(harness.raw(FeedCatalog.shipped().feed("police-asb"))).extracting(record -> record.key()).containsExactly("A", "C", "D");
        assertThat(harness.deadLetters(FeedCatalog.shipped().feed("police-asb"))).singleElement().satisfies(rejected -> {
            assertThat(rejected.getLineNumber()).isEqualTo(3L);
            assertThat(rejected.getRawText()).isEqualTo("B,2020-01-01,\"NUISANCE,Market");
            assertThat(rejected.getReasons()).extracting(reason -> reason.getCode()).containsExactly("UNREADABLE_ROW");
        });
    }

    @Test
    void shouldReadWindows1252WhenTheBytesAreNotUtf8() {
        final byte[] file = (HEADER + "A,2020-01-01,NUISANCE,Market\nB\u00e9,2020-01-01,NUISANCE,Market\n")
                .getBytes(java.nio.charset.Charset.forName("windows-1252"));

        final IntakeSummary summary = harness.bytes(FeedCatalog.shipped().feed("police-asb"), file, ExportFormat.CSV);

        assertThat(summary.accepted()).isEqualTo(2);
        assertThat(harness.raw(FeedCatalog.shipped().feed("police-asb")).get(1).key()).isEqualTo("B\u00e9");
    }

    @Test
    void shouldSummariseCountsAndReasonsMostFrequentFirst() {
        final IntakeSummary summary = harness.csv(FeedCatalog.shipped().feed("police-asb"), HEADER + "A,2020-01-01,NUISANCE,Market\n"
                + "B,2020-01-01,X,Market\nC,2020-01-01,Y,Nowhere\n");

        assertThat(summary.rowsRead()).isEqualTo(3);
        assertThat(summary.accepted() + summary.rejected()).isEqualTo(summary.rowsRead());
        assertThat(summary.reasonCounts()).containsExactly(Map.entry("NOT_IN_ENUM", 2L), Map.entry("UNKNOWN_WARD", 1L));
        assertThat(summary.firstRejections()).extracting(IntakeSummary.RejectedRow::line).isEqualTo(List.of(3L, 4L));
    }

    @Test
    void shouldRefuseAnEmptyFile() {
        assertThat(harness.csv(FeedCatalog.shipped().feed("police-asb"), "").refusal()).isEqualTo("The file is empty: it has no header row");
    }
}
