package org.csphub.streams.series;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.csphub.contracts.FamilySpec;
import org.csphub.contracts.FeedContract;
import org.csphub.geography.Population;

/**
 * A feed contract's metric family as the series engine runs it. Counter {@code i} is the contract's
 * {@code i}-th count, published or not, so the order of the counts in the file fixes the counters;
 * {@link RecordContributions} says what each record adds to them.
 */
public final class ContractFamilies {

    private ContractFamilies() {
    }

    /**
     * The family of {@code contract} for the partnership {@code cspCode}, {@code cspName}, its counts per
     * 1,000 residents over {@code population} (kept only by a family that has such counts).
     */
    public static MetricFamily of(final FeedContract contract, final String cspCode, final String cspName,
            final Population population) {
        final FamilySpec spec = contract.family();
        final List<MetricFamily.CountMetric> counts = spec.counts().stream().filter(FamilySpec.Count::published)
                .map(count -> new MetricFamily.CountMetric(count.name(), spec.counterOf(count.name()),
                        dimensions(spec, count.by())))
                .toList();
        final List<MetricFamily.RateMetric> rates = spec.rates().stream()
                .map(rate -> new MetricFamily.RateMetric(rate.name(), spec.counterOf(rate.numerator()),
                        spec.counterOf(rate.denominator()), dimensions(spec, rate.by())))
                .toList();
        final MetricFamily.Projection projection = spec.projection()
                .map(p -> new MetricFamily.Projection(p.name(), spec.counterOf(p.of()), Set.copyOf(p.levels())))
                .orElse(null);
        final List<MetricFamily.PerThousandResidents> perThousand = spec.perThousandResidents().stream()
                .map(rate -> new MetricFamily.PerThousandResidents(rate.name(), spec.counterOf(rate.count()),
                        dimensions(spec, rate.by())))
                .toList();
        return new MetricFamily(spec.name(), spec.topic(), spec.levels(),
                spec.breakdowns().stream().map(FamilySpec.Breakdown::dimension).toList(), counts, rates,
                spec.wardShare().orElse(null), projection, cspCode, cspName, perThousand,
                perThousand.isEmpty() ? Population.NONE : population);
    }

    /** The total and the dimensions of the breakdowns by {@code columns}. */
    private static Set<String> dimensions(final FamilySpec spec, final List<String> columns) {
        final Set<String> dimensions = new LinkedHashSet<>();
        dimensions.add(MetricFamily.TOTAL);
        columns.forEach(column -> dimensions.add(spec.breakdown(column).dimension()));
        return Set.copyOf(dimensions);
    }
}
