package org.csphub.producers.feeds;

import java.time.LocalDate;
import java.util.Optional;

/**
 * The values one row's columns were read into so far, by record field position, and the London
 * date of the row's period column, against which its area is resolved.
 */
final class RowValues {

    private final String id;
    private final Object[] fields;
    private LocalDate period;

    RowValues(final String id, final int fieldCount) {
        this.id = id;
        this.fields = new Object[fieldCount];
    }

    /** The row's id, as the intake checked it. */
    String id() {
        return id;
    }

    /** The value read for the field at {@code position}, or null when none was. */
    Object get(final int position) {
        return fields[position];
    }

    void set(final int position, final Object value) {
        fields[position] = value;
    }

    /** The date of the period column, when it was read. */
    Optional<LocalDate> period() {
        return Optional.ofNullable(period);
    }

    void period(final LocalDate date) {
        this.period = date;
    }
}
