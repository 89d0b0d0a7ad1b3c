package org.csphub.producers.intake;

/** An export that cannot be opened at all: not a spreadsheet, no header, an empty file. */
public final class UnreadableExportException extends RuntimeException {

    public UnreadableExportException(final String message) {
        super(message);
    }

    public UnreadableExportException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
