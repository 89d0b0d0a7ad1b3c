package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDateTime;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.topics.Feed;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;

class XlsxExportReaderTest {

    private final IntakeHarness harness = new IntakeHarness();

    @Test
    void shouldReadTheFirstSheetWithDateCellsAndNumbers() throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Workbook workbook = new Workbook(out, "test", "1.0")) {
            final Worksheet sheet = workbook.newWorksheet("Callouts");
            final String[] header = {"callout_id", "called_at", "ward", "sex", "age"};
            for (int c = 0; c < header.length; c++) {
                sheet.value(0, c, header[c]);
            }
            sheet.value(1, 0, "AMB-1");
            sheet.value(1, 1, LocalDateTime.of(2020, 1, 4, 1, 30));
            sheet.style(1, 1).format("dd/mm/yyyy hh:mm").set();
            sheet.value(1, 2, "Market");
            sheet.value(1, 3, "F");
            sheet.value(1, 4, 34);
            sheet.value(2, 0, "AMB-2");
            sheet.value(2, 1, "not a date");
            sheet.value(2, 2, "Market");
            sheet.value(2, 3, "F");
            sheet.value(2, 4, 40);
        }

        final IntakeSummary summary = harness.bytes(Feed.AMBULANCE_CALLOUTS, out.toByteArray(), ExportFormat.XLSX);

        assertThat(summary.accepted()).isEqualTo(1);
        final AmbulanceCallout callout = (AmbulanceCallout) harness.raw(Feed.AMBULANCE_CALLOUTS).get(0).value();
        assertThat(callout.getCalledAt()).isEqualTo(java.time.Instant.parse("2020-01-04T01:30:00Z"));
        assertThat(callout.getAgeBand()).isEqualTo("30-34");
        assertThat(harness.deadLetters(Feed.AMBULANCE_CALLOUTS)).singleElement().satisfies(rejected -> {
            assertThat(rejected.getLineNumber()).isEqualTo(3L);
            assertThat(rejected.getReasons()).extracting(reason -> reason.getCode()).containsExactly("BAD_DATE");
        });
    }

    @Test
    void shouldRefuseBytesThatAreNotAWorkbook() {
        final IntakeSummary summary = harness.bytes(Feed.AMBULANCE_CALLOUTS, "callout_id\n".getBytes(),
                ExportFormat.XLSX);

        assertThat(summary.refusal()).startsWith("The file is not a readable XLSX workbook");
    }
}
