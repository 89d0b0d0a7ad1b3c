package org.csphub.producers.validation;

import java.util.ArrayList;
import java.util.List;
import org.csphub.feeds.RejectionReason;

/**
 * Every reason found against one row: validation goes on after the first, so the data officer sees them
 * all. A row has at most {@value #MAX_REASONS} reasons of at most {@value #MAX_MESSAGE} characters each,
 * so that a dead letter stays small whatever the row holds.
 */
public final class Problems {

    /** More reasons than a row has columns say nothing new; past this many the last one counts the rest. */
    public static final int MAX_REASONS = 64;
    /** A message quotes the value it is about; a long value is shown by its start and the message's end kept. */
    public static final int MAX_MESSAGE = 1000;
    private static final String CUT = " \u2026 ";

    private final String source;
    private final long line;
    /** The row's name in messages, made when the first reason needs it: most rows have none. */
    private String where;
    private final List<RejectionReason> reasons = new ArrayList<>();
    private int beyondLimit;

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
        add(new RejectionReason(column, columnNumber, code.name(),
                bounded(where() + ", column " + columnNumber + " (" + column + "): " + message)));
    }

    /** A reason about the whole row. */
    public void add(final RejectionCode code, final String message) {
        add(new RejectionReason(null, null, code.name(), bounded(where() + ": " + message)));
    }

    private void add(final RejectionReason reason) {
        if (reasons.size() < MAX_REASONS) {
            reasons.add(reason);
        } else {
            beyondLimit++;
        }
    }

    /** Whether a reason names {@code column} already. */
    public boolean concerns(final String column) {
        for (final RejectionReason reason : reasons) {
            if (column.equals(reason.getColumn())) {
                return true;
            }
        }
        return false;
    }

    /** {@code message} within {@link #MAX_MESSAGE} characters: its start and its end, which says what is valid. */
    static String bounded(final String message) {
        if (message.length() <= MAX_MESSAGE) {
            return message;
        }
        final int head = MAX_MESSAGE * 2 / 3;
        final int tail = MAX_MESSAGE - head - CUT.length();
        return message.substring(0, cutPoint(message, head)) + CUT
                + message.substring(cutPoint(message, message.length() - tail));
    }

    /** {@code at}, moved back one place when it would split a surrogate pair. */
    static int cutPoint(final String text, final int at) {
        return at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at))
                && Character.isHighSurrogate(text.charAt(at - 1)) ? at - 1 : at;
    }

    public boolean isEmpty() {
        return reasons.isEmpty();
    }

    public List<RejectionReason> reasons() {
        if (beyondLimit == 0) {
            return List.copyOf(reasons);
        }
        final List<RejectionReason> all = new ArrayList<>(reasons);
        all.add(new RejectionReason(null, null, reasons.get(reasons.size() - 1).getCode(), where() + ": and "
                + beyondLimit + " more reason(s) of the same kinds"));
        return List.copyOf(all);
    }
}
