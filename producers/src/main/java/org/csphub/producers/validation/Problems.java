package org.csphub.producers.validation;

import java.util.ArrayList;
import java.util.List;
import org.csphub.feeds.RejectionReason;

/** Every reason found against one row: validation goes on after the first, so the data officer sees them all. */
public final class Problems {

    private final String where;
    private final List<RejectionReason> reasons = new ArrayList<>();

    /** {@code where} names the row for messages, e.g. {@code asb.csv line 7}. */
    public Problems(final String where) {
        this.where = where;
    }

    /** A reason about one column; the message is prefixed with the file, line and column. */
    public void add(final String column, final int columnNumber, final RejectionCode code, final String message) {
        reasons.add(new RejectionReason(column, columnNumber,  code.name(),
                where + ", column " + columnNumber + " (" + column + "): " + message));
    }

    /** A reason about the whole row. */
    public void add(final RejectionCode code, final String message) {
        reasons.add(new RejectionReason(null, null, code.name(), where + ": " + message));
    }

    public boolean isEmpty() {
        return reasons.isEmpty();
    }

    public List<RejectionReason> reasons() {
        return List.copyOf(reasons);
    }
}
