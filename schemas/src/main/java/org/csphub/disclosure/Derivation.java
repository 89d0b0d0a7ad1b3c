package org.csphub.disclosure;

import java.util.Optional;
import java.util.function.Function;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.MetricFormulas;

/**
 * What a derived metric of a contract is worked out from, so that disclosure control can make it
 * follow its parts: withheld where a part is, and computed from the shown parts where they are rounded.
 *
 * @param kind        how the value is computed
 * @param numerator   the count on top (at the same cell, or the ward for a ward share)
 * @param denominator the count below, or null where the denominator is not a count (a projection's
 *                    months elapsed, the residents of the area)
 */
record Derivation(Kind kind, String numerator, String denominator) {

    enum Kind {
        /** numerator ÷ denominator, both counts of the same cell. */
        RATE,
        /** a ward's count ÷ its district's. */
        WARD_SHARE,
        /** the total so far × 12 ÷ months elapsed, rounded. */
        PROJECTION,
        /** the count × 1,000 ÷ the area's residents. */
        PER_THOUSAND_RESIDENTS,
        /** the count now − the count of the previous period. */
        CHANGE_PREVIOUS,
        /** that change in per cent of the previous period's count. */
        CHANGE_PREVIOUS_PCT,
        /** the count now − the count of the same period a year earlier. */
        CHANGE_YEAR,
        /** that change in per cent of the year-earlier count. */
        CHANGE_YEAR_PCT
    }

    /** The cell of the count on top. */
    MetricCell numeratorCell(final MetricCell cell) {
        final MetricCell count = cell.withMetric(numerator);
        return kind == Kind.PROJECTION ? count.withDimension(null, null) : count;
    }

    /** The cell of the count below, if it is a count of this family. */
    Optional<MetricCell> denominatorCell(final MetricCell cell, final Function<String, Optional<String>> districtOfWard) {
        final MetricCell count = cell.withMetric(denominator == null ? numerator : denominator);
        return switch (kind) {
            case RATE -> Optional.of(count);
            case WARD_SHARE -> cell.areaType() == AreaType.WARD
                    ? districtOfWard.apply(cell.areaCode()).map(code -> count.withArea(AreaType.DISTRICT, code))
                    : Optional.empty();
            case PROJECTION, PER_THOUSAND_RESIDENTS -> Optional.empty();
            case CHANGE_PREVIOUS, CHANGE_PREVIOUS_PCT -> Periods.previous(cell.periodType(), cell.period())
                    .map(count::withPeriod);
            case CHANGE_YEAR, CHANGE_YEAR_PCT -> Periods.yearEarlier(cell.periodType(), cell.period())
                    .map(count::withPeriod);
        };
    }

    /** The value from the numerator and denominator as shown, the way the topologies compute it from the true ones. */
    Double value(final long numerator, final long denominator) {
        return switch (kind) {
            case RATE, WARD_SHARE -> MetricFormulas.ratio(numerator, denominator);
            case PROJECTION -> denominator == 0 ? null : MetricFormulas.projection(numerator, denominator);
            case PER_THOUSAND_RESIDENTS -> denominator == 0 ? null : MetricFormulas.perThousand(numerator, denominator);
            case CHANGE_PREVIOUS, CHANGE_YEAR -> (double) (numerator - denominator);
            case CHANGE_PREVIOUS_PCT, CHANGE_YEAR_PCT -> MetricFormulas.percentChange(numerator, denominator);
        };
    }
}
