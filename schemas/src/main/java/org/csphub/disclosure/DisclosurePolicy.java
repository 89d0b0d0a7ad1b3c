package org.csphub.disclosure;

/**
 * How a feed's published counts are protected, as its contract declares and as its source itself
 * publishes: police and fire figures openly, IDVA referrals withheld below a threshold, health data
 * withheld when small and rounded otherwise.
 */
public sealed interface DisclosurePolicy {

    /** Every count shown as it is. */
    record Open() implements DisclosurePolicy {
    }

    /** Counts from 1 to {@code threshold - 1} withheld, with secondary suppression; 0 is shown. */
    record Threshold(int threshold) implements DisclosurePolicy {
        public Threshold {
            if (threshold < 2) {
                throw new IllegalArgumentException("A threshold below 2 withholds nothing: " + threshold);
            }
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
    }
}
