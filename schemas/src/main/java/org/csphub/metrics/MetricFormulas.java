package org.csphub.metrics;

/**
 * How a derived metric's value follows from its numerator and denominator: the one definition the
 * topologies compute with and disclosure control works values out again with, from rounded counts.
 */
public final class MetricFormulas {

    private MetricFormulas() {
    }

    /** A rate or share; null over zero, where none exists. */
    public static Double ratio(final long numerator, final long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }

    /** The change from {@code before} to {@code now} in per cent; null against zero, where no percentage exists. */
    public static Double percentChange(final long now, final long before) {
        return before == 0 ? null : (now - before) * 100.0 / before;
    }

    /** The full-year projection of {@code soFar} after {@code monthsElapsed} months, to a whole number. */
    public static double projection(final long soFar, final long monthsElapsed) {
        return Math.round(soFar * 12.0 / monthsElapsed);
    }

    /** {@code count} per 1,000 of {@code residents}. */
    public static double perThousand(final long count, final long residents) {
        return count * 1000.0 / residents;
    }
}
