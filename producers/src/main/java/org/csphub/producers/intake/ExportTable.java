package org.csphub.producers.intake;

import java.io.Closeable;
import java.util.List;
import java.util.Optional;

/** A partner export opened for reading: its header, then its rows one at a time. */
public interface ExportTable extends Closeable {

    /** The header row's cells as written. */
    List<String> header();

    /** The next row, or empty at the end. Never throws for bad content: that comes back as {@link TableRow.Unreadable}. */
    Optional<TableRow> next();

    @Override
    void close();
}
