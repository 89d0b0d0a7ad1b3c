package org.csphub.producers.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;

/** What a reader finds after the header: a row of values, or a stretch it could not read as one. */
public sealed interface TableRow {

    /** The row's first line in the file (the header is line 1; for XLSX, the sheet's row number). */
    long lineNumber();

    /** The row's last line in the file: past {@link #lineNumber()} when a quoted value holds line breaks. */
    long lastLineNumber();

    /** The row's text: as the partner sent it when it could not be read, else its values re-joined with commas. */
    String rawText();

    /**
     * Values joined as one CSV line (RFC 4180 quoting, no line end). Printed value by value with one
     * shared format: {@code CSVFormat.format} copies its format for every call, which a file of
     * rejected rows paid once per row.
     */
    static String joined(final List<String> values) {
        final StringBuilder text = new StringBuilder();
        try {
            for (int i = 0; i < values.size(); i++) {
                CSVFormat.DEFAULT.print(values.get(i), text, i == 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("A StringBuilder does not fail", e);
        }
        return text.toString();
    }

    /** A row of values, in the order of the header. */
    record Values(long lineNumber, long lastLineNumber, List<String> values) implements TableRow {

        public Values {
            values = List.copyOf(values);
        }

        /** A row on one line. */
        public Values(final long lineNumber, final List<String> values) {
            this(lineNumber, lineNumber, values);
        }

        @Override
        public String rawText() {
            return joined(values);
        }

        public boolean isBlank() {
            for (final String value : values) {
                if (!value.isBlank()) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * A stretch that is not a row (broken quoting, a damaged sheet): its lines, the text that could be
     * read of them (for a sheet, the cells read so far) and what went wrong.
     */
    record Unreadable(long lineNumber, long lastLineNumber, String rawText, String problem) implements TableRow {

        /** A stretch of one line. */
        public Unreadable(final long lineNumber, final String rawText, final String problem) {
            this(lineNumber, lineNumber, rawText, problem);
        }
    }
}
