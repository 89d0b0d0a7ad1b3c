package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CsvExportReaderTest {

    private static final String HEADER = "incident_id,reported_at,category,ward\n";
    /** A line that holds no value: spaces, separators and empty quoted values at most. */
    private static final String BLANK = "[\\s,\"]*";
    private static final String UNCLOSED = "a quoted value opens on this line and does not close on it "
            + "(a quote out of place?); the next line is read as a new row";

    private static List<TableRow> rowsOf(final String text) {
        try (CsvExportReader reader = CsvExportReader.open(new ByteArrayInputStream(
                text.getBytes(StandardCharsets.UTF_8)))) {
            final List<TableRow> rows = new ArrayList<>();
            for (Optional<TableRow> row = reader.next(); row.isPresent(); row = reader.next()) {
                rows.add(row.get());
            }
            return rows;
        }
    }

    private static String line(final int number) {
        return "P" + number + ",2020-01-01,NUISANCE,Market";
    }

    private static TableRow.Values row(final int number) {
        return new TableRow.Values(number, List.of("P" + number, "2020-01-01", "NUISANCE", "Market"));
    }

    @Test
    void shouldSetAsideALineWithAStrayQuoteAloneAndReadEveryLineAfterIt() {
        final StringBuilder file = new StringBuilder(HEADER);
        final List<TableRow> expected = new ArrayList<>();
        for (int number = 2; number <= 30; number++) {
            if (number == 17) {
                file.append("P17,2020-01-01,\"NUISANCE,Market\n");
                expected.add(new TableRow.Unreadable(17, "P17,2020-01-01,\"NUISANCE,Market", UNCLOSED));
            } else if (number == 24) {
                // the next quote in the file: with the one on line 17 it would enclose lines 17 to 24
                file.append("P24,2020-01-01,NUISANCE,\"Market\"\n");
                expected.add(row(24));
            } else {
                file.append(line(number)).append('\n');
                expected.add(row(number));
            }
        }

        assertThat(rowsOf(file.toString())).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldReadAQuotedValueWithLineBreaksAsOneRowOverItsLines() {
        final List<TableRow> rows = rowsOf(HEADER + "A,2020-01-01,NUISANCE,\"King's\r\nHedges\"\r\n" + line(4) + "\n");

        assertThat(rows).containsExactly(
                new TableRow.Values(2, 3, List.of("A", "2020-01-01", "NUISANCE", "King's\r\nHedges")), row(4));
    }

    @Test
    void shouldSetAsideALineWhoseQuotedValueClosesOnALaterLineAsARowOfTheWrongWidth() {
        // lines 2 and 3 together are a row of five values, not four: the quote on line 2 is out of place
        final List<TableRow> rows = rowsOf(HEADER + "A,\"2020-01-01,NUISANCE,Market\nB\",2020-01-01,NUISANCE,Market\n"
                + line(4) + "\n");

        assertThat(rows).containsExactly(
                new TableRow.Unreadable(2, "A,\"2020-01-01,NUISANCE,Market", UNCLOSED),
                new TableRow.Values(3, List.of("B\"", "2020-01-01", "NUISANCE", "Market")),
                row(4));
    }

    @Test
    void shouldKeepTheTextOfALineThatIsNoRow() {
        final List<TableRow> rows = rowsOf(HEADER + "A,\"2020-01-01\"x,NUISANCE,Market\n" + line(3) + "\n");

        assertThat(rows).containsExactly(new TableRow.Unreadable(2, "A,\"2020-01-01\"x,NUISANCE,Market",
                "the text cannot be read as a row (Invalid character between encapsulated token and delimiter "
                        + "at character 15)"), row(3));
    }

    @Test
    void shouldSetAsideOnlyTheLineOfAQuoteLeftOpenToTheEndOfTheFile() {
        final List<TableRow> rows = rowsOf(HEADER + line(2) + "\nP3,2020-01-01,NUISANCE,\"Market\n" + line(4));

        assertThat(rows).containsExactly(row(2), new TableRow.Unreadable(3, "P3,2020-01-01,NUISANCE,\"Market",
                UNCLOSED), row(4));
    }

    @Test
    void shouldGatherNoMoreThanARowsWorthOfLinesBehindAnOpenQuote() {
        final StringBuilder file = new StringBuilder(HEADER).append("P2,2020-01-01,NUISANCE,\"Market\n");
        IntStream.rangeClosed(3, 20_000).forEach(number -> file.append(line(number)).append('\n'));

        final List<TableRow> rows = rowsOf(file.toString());

        assertThat(rows).hasSize(19_999);
        assertThat(rows.get(0)).isEqualTo(new TableRow.Unreadable(2, "P2,2020-01-01,NUISANCE,\"Market", UNCLOSED));
        assertThat(rows.subList(1, rows.size())).containsExactlyElementsOf(
                IntStream.rangeClosed(3, 20_000).mapToObj(CsvExportReaderTest::row).toList());
    }

    @Test
    void shouldNumberLinesEndingInLineFeedsCarriageReturnsOrBothAndSkipBlankLines() {
        final List<TableRow> rows = rowsOf(HEADER + line(2) + "\r\n\r\n" + line(4) + "\r" + line(5) + "\n  \n"
                + line(7));

        assertThat(rows).containsExactly(row(2), row(4), row(5), row(7));
    }

    @Test
    void shouldSetAsideTheRestOfTheFileAsOneStretchAfterAHundredUnreadableRowsInARow() {
        final StringBuilder file = new StringBuilder(HEADER);
        IntStream.rangeClosed(2, 150).forEach(number -> file.append("P").append(number).append(",\"x\"y\n"));
        file.append(line(151)).append('\n');

        final List<TableRow> rows = rowsOf(file.toString());

        assertThat(rows).hasSize(100);
        assertThat(rows.subList(0, 99)).extracting(TableRow::lineNumber, TableRow::lastLineNumber, TableRow::rawText)
                .containsExactlyElementsOf(IntStream.rangeClosed(2, 100)
                        .mapToObj(number -> tuple((long) number, (long) number,
                                "P" + number + ",\"x\"y")).toList());
        final StringBuilder rest = new StringBuilder();
        IntStream.rangeClosed(101, 150).forEach(number -> rest.append("P").append(number).append(",\"x\"y\n"));
        rest.append(line(151));
        assertThat(rows.get(99)).isEqualTo(new TableRow.Unreadable(101, 151, rest.toString(),
                "100 rows in a row cannot be read, so the rest of the file is no table: lines 101 to 151 are set "
                        + "aside unread"));
    }

    @Test
    void shouldAccountForEveryLineOfDamagedFilesOnceKeepingTheTextOfEachUnreadableLine() {
        final Random random = new Random(20261204L);
        final String valid = HEADER + IntStream.rangeClosed(2, 30).mapToObj(number -> line(number) + "\n")
                .collect(Collectors.joining());
        for (int i = 0; i < 2000; i++) {
            final StringBuilder damaged = new StringBuilder(valid);
            for (int edit = random.nextInt(6); edit >= 0; edit--) {
                damaged.insert(HEADER.length() + random.nextInt(damaged.length() - HEADER.length()),
                        "\"\",;\n\r x".charAt(random.nextInt(8)));
            }
            final String file = damaged.toString();
            final List<String> lines = List.of(file.split("\r\n|\r|\n", -1));

            long last = 1;
            for (final TableRow row : rowsOf(file)) {
                assertThat(row.lineNumber()).as("case %d: %s", i, file).isGreaterThan(last);
                assertThat(row.lastLineNumber()).as("case %d: %s", i, file).isGreaterThanOrEqualTo(row.lineNumber());
                for (long skipped = last + 1; skipped < row.lineNumber(); skipped++) {
                    assertThat(lines.get((int) skipped - 1)).as("case %d: %s", i, file).matches(BLANK);
                }
                if (row instanceof TableRow.Unreadable unreadable) {
                    assertThat(unreadable.rawText()).as("case %d: %s", i, file)
                            .isEqualTo(lines.get((int) row.lineNumber() - 1));
                }
                last = row.lastLineNumber();
            }
            for (long skipped = last + 1; skipped <= lines.size(); skipped++) {
                assertThat(lines.get((int) skipped - 1)).as("case %d: %s", i, file).matches(BLANK);
            }
        }
    }
}

