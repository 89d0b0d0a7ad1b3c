package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.avro.generic.GenericRecord;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

        final IntakeSummary summary = harness.bytes(FeedCatalog.shipped().feed("ambulance-callouts"), out.toByteArray(), ExportFormat.XLSX);

        assertThat(summary.accepted()).isEqualTo(1);
        final GenericRecord callout = harness.raw(FeedCatalog.shipped().feed("ambulance-callouts")).get(0).value();
        assertThat(callout.get("called_at")).isEqualTo(java.time.Instant.parse("2020-01-04T01:30:00Z").toEpochMilli());
        assertThat(callout.get("age_band")).isEqualTo("30-34");
        assertThat(harness.deadLetters(FeedCatalog.shipped().feed("ambulance-callouts"))).singleElement().satisfies(rejected -> {
            assertThat(rejected.getLineNumber()).isEqualTo(3L);
            assertThat(rejected.getReasons()).extracting(reason -> reason.getCode()).containsExactly("BAD_DATE");
        });
    }

    /** A sheet "Callouts" of a header and three callouts; the second's time is {@code secondTime}, formatted as a date. */
    private static byte[] callouts(final double secondTime) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Workbook workbook = new Workbook(out, "test", "1.0")) {
            final Worksheet sheet = workbook.newWorksheet("Callouts");
            final String[] header = {"callout_id", "called_at", "ward", "sex", "age"};
            for (int c = 0; c < header.length; c++) {
                sheet.value(0, c, header[c]);
            }
            for (int r = 1; r <= 3; r++) {
                sheet.value(r, 0, "AMB-" + r);
                sheet.value(r, 1, r == 2 ? secondTime : 43834.0625);
                sheet.style(r, 1).format("dd/mm/yyyy hh:mm").set();
                sheet.value(r, 2, "Market");
                sheet.value(r, 3, "F");
                sheet.value(r, 4, 30 + r);
            }
        }
        return out.toByteArray();
    }

    /** The workbook with its first sheet's XML changed by {@code damage}. */
    private static byte[] withSheet(final byte[] workbook, final UnaryOperator<String> damage, final Path dir)
            throws IOException {
        final Path file = dir.resolve("damaged.xlsx");
        Files.write(file, workbook);
        try (FileSystem zip = FileSystems.newFileSystem(file)) {
            final Path sheet = zip.getPath("xl/worksheets/sheet1.xml");
            Files.writeString(sheet, damage.apply(Files.readString(sheet)));
        }
        return Files.readAllBytes(file);
    }

    private static List<TableRow> rowsOf(final byte[] workbook) {
        try (XlsxExportReader reader = XlsxExportReader.open(new ByteArrayInputStream(workbook))) {
            final List<TableRow> rows = new ArrayList<>();
            for (Optional<TableRow> row = reader.next(); row.isPresent(); row = reader.next()) {
                rows.add(row.get());
            }
            return rows;
        }
    }

    private static TableRow.Values callout(final int row) {
        return new TableRow.Values(row + 1, List.of("AMB-" + row, "2020-01-04T01:30", "Market", "F",
                Integer.toString(30 + row)));
    }

    @Test
    void shouldKeepTheSheetRowAndCellsReadOfARowWithACellThatCannotBeReadAndGoOn() throws IOException {
        // a date far past any calendar
        final List<TableRow> rows = rowsOf(callouts(1e300));

        assertThat(rows).containsExactly(callout(1), new TableRow.Unreadable(3, "AMB-2",
                "sheet 'Callouts', row 3: cell B3 cannot be read (Invalid value for NanoOfDay (valid values "
                        + "0 - 86399999999999): -1000000)"), callout(3));
    }

    @Test
    void shouldGoOnAtTheNextRowAfterARowTheSheetReaderFailsOn(@TempDir final Path dir) throws IOException {
        final byte[] damaged = withSheet(callouts(43834.0625), xml -> xml.replace("<v>32</v>", "<v>thirty-two</v>"),
                dir);

        assertThat(rowsOf(damaged)).containsExactly(callout(1), new TableRow.Unreadable(3, "",
                "sheet 'Callouts': the row after row 2 cannot be read (Cannot parse number : thirty-two); "
                        + "reading goes on at the next row"),
                callout(3));
    }

    @Test
    void shouldSayHowFarADamagedSheetWasReadWithARealRowNumber(@TempDir final Path dir) throws IOException {
        final byte[] damaged = withSheet(callouts(43834.0625), xml -> xml.substring(0, xml.indexOf("<v>32</v>") + 6),
                dir);

        assertThat(rowsOf(damaged)).containsExactly(callout(1), new TableRow.Unreadable(3, "",
                "sheet 'Callouts': the sheet cannot be read after row 2 (Unexpected end-of-input when trying to "
                        + "parse COMMENT at [row,col {unknown-source}]: [1,1115]); 2 rows were read, the rest is not"));
    }

    @Test
    void shouldRefuseBytesThatAreNotAWorkbook() {
        final IntakeSummary summary = harness.bytes(FeedCatalog.shipped().feed("ambulance-callouts"), "callout_id\n".getBytes(),
                ExportFormat.XLSX);

        assertThat(summary.refusal()).startsWith("The file is not a readable XLSX workbook");
    }
}
