package org.csphub.disclosure;

/**
 * How a feed's published counts are protected, as its contract declares and as its source itself
 * publishes: police and fire figures openly, IDVA referrals withheld below a threshold, health data
 * withheld when small and rounded otherwise. Wherever a policy withholds, secondary suppression
 * protects what it withholds ({@link DisclosureControl}).
 */
public sealed interface DisclosurePolicy {

    /** Whether a count of {@code value} is withheld for its own sake (primary suppression). */
    boolean withholds(double value);

    /** How a count that is shown is published: itself, or rounded. */
    double shown(double value);

    /** The smallest count shown besides 0. */
    long smallestShown();

    /** Whether every count this policy withholds or changes, {@code other} withholds or changes the same or more. */
    boolean isStricterOrEqual(DisclosurePolicy other);

    /** How outputs show a withheld count: {@code <5} below a threshold of 5. */
    default String withheldLabel() {
        return "<" + smallestShown();
    }

    /** The policy in words, for manifests and the report's notes. */
    String describe();

    /** Every count shown as it is. */
    record Open() implements DisclosurePolicy {

        @Override
        public boolean withholds(final double value) {
            return false;
        }

        @Override
        public double shown(final double value) {
            return value;
        }

        @Override
        public long smallestShown() {
            return 1;
        }

        @Override
        public boolean isStricterOrEqual(final DisclosurePolicy other) {
            return other instanceof Open;
        }

        /** Nothing is withheld for its own sake; a count withheld to protect a stricter one shows as {@code *}. */
        @Override
        public String withheldLabel() {
            return "*";
        }

        @Override
        public String describe() {
            return "open: every count shown";
        }
    }

    /** Counts from 1 to {@code threshold - 1} withheld, with secondary suppression; 0 is shown. */
    record Threshold(int threshold) implements DisclosurePolicy {
        public Threshold {
            if (threshold < 2) {
                throw new IllegalArgumentException("A threshold below 2 withholds nothing: " + threshold);
            }
        }

        @Override
        public boolean withholds(final double value) {
            return value >= 1 && value < threshold;
        }

        @Override
        public double shown(final double value) {
            return value;
        }

        @Override
        public long smallestShown() {
            return threshold;
        }

        @Override
        public boolean isStricterOrEqual(final DisclosurePolicy other) {
            return other instanceof Open || other instanceof Threshold(int lower) && lower <= threshold;
        }

        @Override
        public String describe() {
            return "counts from 1 to " + (threshold - 1) + " withheld";
        }
    }

    /** Counts from 1 to {@code withholdUpTo} withheld, the rest rounded to the nearest multiple of {@code base}. */
    record Round(int withholdUpTo, int base) implements DisclosurePolicy {
        public Round {
            if (withholdUpTo < 1 || base < 2) {
                throw new IllegalArgumentException("Rounding withholds at least 1 and rounds to a base of at least 2: "
                        + withholdUpTo + ", " + base);
            }
        }

        @Override
        public boolean withholds(final double value) {
            return value >= 1 && value <= withholdUpTo;
        }

        /** The nearest multiple of the base; halves round up (a count of 12.5 never occurs). */
        @Override
        public double shown(final double value) {
            return Math.floor(value / base + 0.5) * base;
        }

        @Override
        public long smallestShown() {
            return withholdUpTo + 1L;
        }

        @Override
        public boolean isStricterOrEqual(final DisclosurePolicy other) {
            return switch (other) {
                case Open open -> true;
                case Threshold threshold -> threshold.threshold() <= withholdUpTo + 1;
                case Round round -> round.withholdUpTo() <= withholdUpTo && base % round.base() == 0;
            };
        }

        /** {@code *}, as the NHS's hospital statistics show a count they withhold. */
        @Override
        public String withheldLabel() {
            return "*";
        }

        @Override
        public String describe() {
            return "counts from 1 to " + withholdUpTo + " withheld, the rest rounded to the nearest " + base;
        }
    }
}
