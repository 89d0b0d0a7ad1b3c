package org.csphub.disclosure;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csphub.metrics.AreaType;

/**
 * A feed's disclosure as its contract declares it: the policy of its counts, and the counts, breakdown
 * values or levels that are protected more strictly than the rest (e.g. police crime is open, but its
 * domestic-abuse and sexual-offence counts by ward are withheld below 5).
 *
 * @param policy   the policy of every count no stricter rule covers
 * @param stricter the stricter rules; where several cover a count, the last listed applies
 */
public record FeedDisclosure(DisclosurePolicy policy, List<Stricter> stricter) {

    public FeedDisclosure {
        stricter = List.copyOf(stricter);
    }

    public static FeedDisclosure of(final DisclosurePolicy policy) {
        return new FeedDisclosure(policy, List.of());
    }

    /** The policy of one count cell. */
    public DisclosurePolicy policyOf(final MetricCell count) {
        DisclosurePolicy applies = policy;
        for (final Stricter rule : stricter) {
            if (rule.covers(count)) {
                applies = rule.policy();
            }
        }
        return applies;
    }

    /**
     * A rule stricter than its feed's policy.
     *
     * @param counts the counts it covers; empty: every count of the family
     * @param values the breakdown values it covers, by dimension (as the metrics name it, e.g. {@code age_band});
     *               empty: every cell, totals included
     * @param levels the area levels it covers; empty: every level
     * @param policy its policy, at least as strict as the feed's
     */
    public record Stricter(Set<String> counts, Map<String, Set<String>> values, Set<AreaType> levels,
            DisclosurePolicy policy) {

        public Stricter {
            counts = Set.copyOf(counts);
            values = Map.copyOf(values);
            levels = Set.copyOf(levels);
        }

        boolean covers(final MetricCell count) {
            return (counts.isEmpty() || counts.contains(count.metric()))
                    && (levels.isEmpty() || levels.contains(count.areaType()))
                    && (values.isEmpty() || !count.isTotal()
                            && values.getOrDefault(count.dimension(), Set.of()).contains(count.dimensionValue()));
        }
    }
}
