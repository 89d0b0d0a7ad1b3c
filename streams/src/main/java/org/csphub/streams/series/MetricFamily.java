package org.csphub.streams.series;

import java.util.List;
import java.util.Set;
import org.csphub.geography.Population;
import org.csphub.metrics.AreaType;

/**
 * What one family publishes: its levels of geography, its breakdowns, and which counters make
 * which metrics (names as in docs/metrics.md).
 *
 * @param name       the family, e.g. {@code asb}; prefixes every processor, store and internal topic
 * @param topic      the metric topic
 * @param levels     the area types it publishes
 * @param dimensions its breakdowns (besides the total)
 * @param counts     its count metrics
 * @param rates      its rates and shares of two counters of the same series
 * @param wardShare  the name of the ward-share-of-district metric, or null
 * @param projection the part-year projection, or null
 * @param cspCode    the partnership's area code
 * @param cspName    the partnership's name
 * @param perThousandResidents its counts per 1,000 residents
 * @param population the residents those divide by; {@link Population#NONE} for a family without them
 */
public record MetricFamily(String name, String topic, List<AreaType> levels, List<String> dimensions,
        List<CountMetric> counts, List<RateMetric> rates, String wardShare, Projection projection,
        String cspCode, String cspName, List<PerThousandResidents> perThousandResidents, Population population) {

    /** A family without counts per 1,000 residents. */
    public MetricFamily(final String name, final String topic, final List<AreaType> levels,
            final List<String> dimensions, final List<CountMetric> counts, final List<RateMetric> rates,
            final String wardShare, final Projection projection, final String cspCode, final String cspName) {
        this(name, topic, levels, dimensions, counts, rates, wardShare, projection, cspCode, cspName, List.of(),
                Population.NONE);
    }

    /** The breakdown name of a total. */
    public static final String TOTAL = "";

    /** A count: counter {@code counter} summed over the period, in the breakdowns {@code dimensions} ("" = total). */
    public record CountMetric(String name, int counter, Set<String> dimensions) {
    }

    /** A rate or share of two counters (value null when the denominator is 0). */
    public record RateMetric(String name, int numerator, int denominator, Set<String> dimensions) {
    }

    /**
     * Counter {@code counter} × 1,000 over the residents of the series' area in the calendar year its
     * period starts in, in the breakdowns {@code dimensions} (value null where the residents are unknown).
     */
    public record PerThousandResidents(String name, int counter, Set<String> dimensions) {
    }

    /**
     * A full-year projection of counter {@code counter} in FINANCIAL_YEAR periods of the total:
     * the count so far × 12 / months elapsed, where the months elapsed run from April to the latest
     * month of that year in which the area has any record.
     */
    public record Projection(String name, int counter, Set<AreaType> levels) {
    }
}
