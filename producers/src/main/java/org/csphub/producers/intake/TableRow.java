package org.csphub.producers.intake;

import java.util.List;
import org.apache.commons.csv.CSVFormat;

/** What a reader finds after the header: a row of values, or a stretch it could not read as one. */
public sealed interface TableRow {

    /** The row's first line in the file (the header is line 1; for XLSX, the sheet's row number). */
    long lineNumber();

    /** The row as the partner sent it, re-joined with commas. */
    String rawText();

    /** The row's last line in the file: its first, unless it spans several. */
    default long lastLineNumber() {
        return lineNumber();
    }

    /** A row of values, in the order of the header. */
    record Values(long lineNumber, List<String> values) implements TableRow {

        public Values {
            values = List.copyOf(values);
        }

        @Override
        public String rawText() {
            return CSVFormat.DEFAULT.format(values.toArray());
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

    /** A stretch that is not a row (broken quoting, a damaged sheet), with what went wrong. */
    record Unreadable(long lineNumber, String rawText, String problem) implements TableRow {
    }
}
