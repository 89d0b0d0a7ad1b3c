package org.csphub.producers.validation;

import java.util.ArrayList;
import java.util.List;
import org.csphub.feeds.RejectionReason;

/** Every reason found against one row: validation goes on after the first, so the data officer sees them all. */
public final class Problems {

    private final String source;
    private final long line;
    /** The row's name in messages, made when the first reason needs it: most rows have none. */
    private String where;
    private final List<RejectionReason> reasons = new ArrayList<>();

    /** The problems of line {@code line} of {@code source}, named in messages as in {@code asb.csv line 7}. */
    public Problems(final String source, final long line) {
        this.source = source;
        this.line = line;
    }

    private String where() {
        if (where == null) {
            where = source + " line " + line;
        }
        return where;
    }

    /** A reason about one column; the message is prefixed with the file, line and column. */
    public void add(final String column, final int columnNumber, final RejectionCode code, final String message) {
        reasons.add(new RejectionReason(column, columnNumber,  code.name(),
                where() + ", column " + columnNumber + " (" + column + "): " + message));
    }

    /** A reason about the whole row. */
    public void add(final RejectionCode code, final String message) {
        reasons.add(new RejectionReason(null, null, code.name(), where() + ": " + message));
    }

    public boolean isEmpty() {
        return reasons.isEmpty();
    }

    public List<RejectionReason> reasons() {
        return List.copyOf(reasons);
    }
}
