package org.csphub.producers.deadletter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.csphub.feeds.RejectedRecord;
import org.csphub.feeds.RejectionReason;

/**
 * The {@code <file>.rejects.csv} written beside a file the intake read: one line per reason
 * ({@code line,column,column_number,code,message,row}), so that a data officer can filter it in a spreadsheet.
 */
public final class RejectsReport implements AutoCloseable {

    private static final String[] HEADER = {"line", "column", "column_number", "code", "message", "row"};

    private final CSVPrinter printer;

    private RejectsReport(final CSVPrinter printer) {
        this.printer = printer;
    }

    public static RejectsReport create(final Path file) {
        try {
            final Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            return new RejectsReport(new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(HEADER).get()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the rejects report " + file, e);
        }
    }

    public void add(final RejectedRecord rejected) {
        try {
            for (final RejectionReason reason : rejected.getReasons()) {
                printer.printRecord(rejected.getLineNumber(), reason.getColumn(), reason.getColumnNumber(),
                        reason.getCode(), reason.getMessage(), rejected.getRawText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows Kafka did not take, for good ({@code lines} as {@code 17} or {@code 20-31}), and why. */
    public void notStored(final String lines, final String reason) {
        try {
            printer.printRecord(lines, null, null, "NOT_STORED", reason, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file refused whole: one line, no row. */
    public void refusal(final String message) {
        try {
            printer.printRecord(null, null, null, "FILE_REFUSED", message, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            printer.close(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
