package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropFolderTest {

    private final IntakeHarness harness = new IntakeHarness();

    @Test
    void shouldMovePublishedFilesAndWriteRejectsBesideThem(@TempDir final Path dir) throws IOException {
        final DropFolder folder = new DropFolder(dir, harness.intake, false);
        folder.prepare();
        final Path asb = dir.resolve("police-asb");
        Files.writeString(asb.resolve("week1.csv"), "incident_id,reported_at,category,ward\n"
                + "A,2020-01-01,NUISANCE,Market\nB,2020-01-01,ROWDY,Market\n");
        Files.writeString(asb.resolve("week2.csv"), "incident_id,name\nA,x\n");
        Files.writeString(asb.resolve("clean.csv"), "incident_id,reported_at,category,ward\nC,2020-01-01,NUISANCE,Market\n");

        final List<IntakeSummary> summaries = folder.scan();

        assertThat(summaries).extracting(IntakeSummary::source).containsExactly("clean.csv", "week1.csv", "week2.csv");
        try (var left = Files.list(asb)) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
        assertThat(asb.resolve("processed/clean.csv")).exists();
        assertThat(asb.resolve("processed/clean.csv.rejects.csv")).doesNotExist();
        assertThat(asb.resolve("processed/week1.csv")).exists();
        assertThat(Files.readAllLines(asb.resolve("processed/week1.csv.rejects.csv"))).containsExactly(
                "line,column,column_number,code,message,row",
                "3,category,3,NOT_IN_ENUM,\"week1.csv line 3, column 3 (category): 'ROWDY' is not one of PERSONAL, "
                        + "NUISANCE, ENVIRONMENTAL\",\"B,2020-01-01,ROWDY,Market\"");
        assertThat(asb.resolve("failed/week2.csv")).exists();
        assertThat(Files.readString(asb.resolve("failed/week2.csv.rejects.csv"))).contains("FILE_REFUSED");
        assertThat(harness.raw(FeedCatalog.shipped().feed("police-asb"))).hasSize(2);
    }

    @Test
    void shouldLeaveAFileForTheNextScanWhenKafkaIsUnavailable(@TempDir final Path dir) throws IOException {
        final DropFolder folder = new DropFolder(dir, harness.intake, false);
        folder.prepare();
        Files.writeString(dir.resolve("police-asb/a.csv"), "incident_id,reported_at,category,ward\nA,2020-01-01,NUISANCE,Market\n");
        harness.producer.sendException = new TimeoutException("Topic csp.raw.police-asb not present in metadata");

        assertThat(folder.scan()).isEmpty();

        assertThat(dir.resolve("police-asb/a.csv")).exists();
        harness.producer.sendException = null;
        assertThat(folder.scan()).extracting(IntakeSummary::accepted).containsExactly(1L);
        assertThat(dir.resolve("police-asb/processed/a.csv")).exists();
    }

    @Test
    void shouldMoveAFileThatKafkaRefusesForGoodToFailed(@TempDir final Path dir) throws IOException {
        final DropFolder folder = new DropFolder(dir, harness.intake, false);
        folder.prepare();
        Files.writeString(dir.resolve("police-asb/a.csv"), "incident_id,reported_at,category,ward\nA,2020-01-01,NUISANCE,Market\n");
        harness.producer.sendException = new RecordTooLargeException("The message is 2097252 bytes");

        final List<IntakeSummary> summaries = folder.scan();

        assertThat(summaries).extracting(IntakeSummary::rowsRead, IntakeSummary::notStored).containsExactly(
                tuple(1L, 1L));
        assertThat(dir.resolve("police-asb/a.csv")).doesNotExist();
        assertThat(dir.resolve("police-asb/failed/a.csv")).exists();
        assertThat(Files.readString(dir.resolve("police-asb/failed/a.csv.rejects.csv")))
                .contains("2,,,NOT_STORED,RecordTooLargeException: The message is 2097252 bytes");
    }

    @Test
    void shouldWaitUntilAFileStopsChanging(@TempDir final Path dir) throws IOException {
        final DropFolder folder = new DropFolder(dir, harness.intake, true);
        folder.prepare();
        Files.writeString(dir.resolve("police-asb/a.csv"), "incident_id,reported_at,category,ward\nA,2020-01-01,NUISANCE,Market\n");

        assertThat(folder.scan()).isEmpty();
        assertThat(folder.scan()).hasSize(1);
    }
}
