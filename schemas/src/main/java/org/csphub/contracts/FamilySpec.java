package org.csphub.contracts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.csphub.metrics.AreaType;

/**
 * The metric family a feed's records make. Counts are the family's counters, numbered in the order
 * the file lists them (the first is 0); rates, the ward share and the projection refer to counts by name.
 *
 * @param name       the family, e.g. {@code asb}; prefixes its processors, stores and internal topics
 * @param topic      the metric topic
 * @param period     the date or datetime column whose month a record counts in
 * @param levels     the area types it publishes
 * @param breakdowns its breakdowns, besides the total
 * @param counts     its counts; the first counts every record
 * @param rates      its rates and shares
 * @param wardShare  the metric of a ward's share of its district's first count, if published
 * @param projection the part-year projection of a count, if published
 * @param perThousandResidents its counts per 1,000 residents of the area
 */
public record FamilySpec(String name, String topic, String period, List<AreaType> levels,
        List<Breakdown> breakdowns, List<Count> counts, List<Rate> rates, Optional<String> wardShare,
        Optional<Projection> projection, List<PerThousandResidents> perThousandResidents) {

    public FamilySpec {
        levels = List.copyOf(levels);
        breakdowns = List.copyOf(breakdowns);
        counts = List.copyOf(counts);
        rates = List.copyOf(rates);
        perThousandResidents = List.copyOf(perThousandResidents);
    }

    /** A family without counts per 1,000 residents. */
    public FamilySpec(final String name, final String topic, final String period, final List<AreaType> levels,
            final List<Breakdown> breakdowns, final List<Count> counts, final List<Rate> rates,
            final Optional<String> wardShare, final Optional<Projection> projection) {
        this(name, topic, period, levels, breakdowns, counts, rates, wardShare, projection, List.of());
    }

    /**
     * The count a metric per 1,000 residents is of, when {@code metric} is one: what its value follows,
     * for disclosure control.
     */
    public Optional<String> countPerThousandResidents(final String metric) {
        return perThousandResidents.stream().filter(rate -> rate.name().equals(metric))
                .map(PerThousandResidents::count).findFirst();
    }

    /** A count's counter: its position in {@link #counts()}. */
    public int counterOf(final String count) {
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i).name().equals(count)) {
                return i;
            }
        }
        throw new IllegalArgumentException("No count '" + count + "' in family " + name);
    }

    /** The breakdown of {@code column}. */
    public Breakdown breakdown(final String column) {
        return breakdowns.stream().filter(breakdown -> breakdown.column().equals(column)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No breakdown by '" + column + "' in family " + name));
    }

    /**
     * A breakdown by an enum or age column.
     *
     * @param column    the column
     * @param dimension the dimension's name in the metrics: the column's record field (age gives age_band)
     * @param where     the records it applies to; the others have no value in it
     * @param missing   the value of a record whose column is blank, or null to leave such a record out of it
     */
    public record Breakdown(String column, String dimension, Filter where, String missing) {
    }

    /**
     * Conditions on columns, all of which a record must meet: each yes/no column to {@code yes} or
     * {@code no}, each enum column to one of some values. Empty: every record.
     */
    public record Filter(Map<String, Set<String>> conditions) {

        public static final Filter ALL = new Filter(Map.of());

        public Filter {
            conditions = Collections.unmodifiableMap(new LinkedHashMap<>(conditions));
        }

        public boolean isAll() {
            return conditions.isEmpty();
        }
    }

    /**
     * A count: what each record adds to its counter, in the breakdowns {@code by} and the total.
     *
     * @param name      the metric, e.g. {@code idva.engaged}
     * @param where     the records it counts
     * @param sum       the integer column whose value a record adds instead of 1 (blank adds 0), if any
     * @param repeat    counts only records whose person had another record shortly before, if given
     * @param by        the breakdown columns it is published in, besides the total
     * @param published false for a count that only feeds a rate or share
     */
    public record Count(String name, Filter where, Optional<String> sum, Optional<Repeat> repeat, List<String> by,
            boolean published) {
        public Count {
            by = List.copyOf(by);
        }
    }

    /**
     * A repeat: a record whose {@code person} column has another record in the {@code withinMonths}
     * months up to its own date (of two on one day, the one with the larger id is the repeat).
     */
    public record Repeat(String person, int withinMonths) {
    }

    /** A rate or share: count {@code numerator} over {@code denominator}, in the total and breakdowns {@code by}. */
    public record Rate(String name, String numerator, String denominator, List<String> by) {
        public Rate {
            by = List.copyOf(by);
        }
    }

    /**
     * A count per 1,000 residents: count {@code count} × 1,000 over the residents of the area in the
     * calendar year the period starts in, in the total and breakdowns {@code by}; its numerator is the
     * count and its denominator the residents.
     */
    public record PerThousandResidents(String name, String count, List<String> by) {
        public PerThousandResidents {
            by = List.copyOf(by);
        }
    }

    /** The full-year projection of count {@code of} in financial years, at {@code levels}. */
    public record Projection(String name, String of, List<AreaType> levels) {
        public Projection {
            levels = List.copyOf(levels);
        }
    }
}
