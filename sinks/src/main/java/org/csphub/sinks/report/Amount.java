package org.csphub.sinks.report;

/**
 * A figure's value as the report may show it: absent (no data), withheld by disclosure control, or a
 * number.
 */
record Amount(State state, double value) {

    enum State {
        ABSENT, WITHHELD, SHOWN
    }

    static final Amount ABSENT = new Amount(State.ABSENT, 0);
    static final Amount WITHHELD = new Amount(State.WITHHELD, 0);

    static Amount of(final double value) {
        return new Amount(State.SHOWN, value);
    }

    boolean shown() {
        return state == State.SHOWN;
    }

    boolean withheld() {
        return state == State.WITHHELD;
    }

    /**
     * This count's share of {@code whole}: withheld when either is (a share of withheld counts would
     * reveal them), absent when either is absent or the whole is 0.
     */
    Amount shareOf(final Amount whole) {
        if (withheld() || whole.withheld()) {
            return WITHHELD;
        }
        if (!shown() || !whole.shown() || whole.value == 0) {
            return ABSENT;
        }
        return of(value / whole.value);
    }
}
