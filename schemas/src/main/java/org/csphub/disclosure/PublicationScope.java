package org.csphub.disclosure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.csphub.metrics.PeriodType;

/**
 * The unit disclosure control is worked out in: one family's metrics of one period. Every group of
 * secondary suppression lies inside one scope; a change metric also looks at the scope it compares
 * with (the previous period, the same period a year earlier).
 */
public record PublicationScope(String family, PeriodType periodType, String period) {

    public static PublicationScope of(final MetricCell cell) {
        return new PublicationScope(cell.family(), cell.periodType(), cell.period());
    }

    /** The scopes whose published values can change when this one's values change: itself, the next period, a year later. */
    public Set<PublicationScope> affected() {
        return withNeighbours(List.of(Periods::next, Periods::yearLater));
    }

    /** The scopes this one's published values are worked out from: itself, the previous period, a year earlier. */
    public Set<PublicationScope> context() {
        return withNeighbours(List.of(Periods::previous, Periods::yearEarlier));
    }

    private Set<PublicationScope> withNeighbours(
            final List<BiFunction<PeriodType, String, Optional<String>>> neighbours) {
        final Set<PublicationScope> scopes = new LinkedHashSet<>();
        scopes.add(this);
        neighbours.forEach(neighbour -> neighbour.apply(periodType, period)
                .ifPresent(label -> scopes.add(new PublicationScope(family, periodType, label))));
        return scopes;
    }
}
