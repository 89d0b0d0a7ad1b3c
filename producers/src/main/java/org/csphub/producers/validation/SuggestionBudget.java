package org.csphub.producers.validation;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many unknown area names of one export have their nearest known names looked up. Finding them
 * measures the name against every known one; past a thousand different unknown names the column is
 * wrong as a whole, further suggestions tell the data officer nothing more, and an export of hundreds
 * of thousands of them must still be answered in seconds. A name seen before is answered from the
 * cache and costs nothing.
 */
public final class SuggestionBudget {

    /** Unknown names an export may have looked up. */
    public static final int PER_EXPORT = 1_000;

    private final long limit;
    private final AtomicLong taken = new AtomicLong();

    public SuggestionBudget(final long limit) {
        this.limit = limit;
    }

    /** A budget for one export. */
    public static SuggestionBudget perExport() {
        return new SuggestionBudget(PER_EXPORT);
    }

    /** Whether one more look-up fits; safe from several threads. */
    public boolean take() {
        return taken.incrementAndGet() <= limit;
    }

    public long limit() {
        return limit;
    }
}
