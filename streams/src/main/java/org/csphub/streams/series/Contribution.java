package org.csphub.streams.series;

import java.time.YearMonth;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * What one raw record adds to the metrics of its family: its month, its area, its breakdowns and
 * a count per counter (for example IDVA's referrals, engaged, repeats ...). Aggregates add it
 * for the current version of a record and take it away for the superseded one.
 *
 * @param month        the event's calendar month in Europe/London
 * @param wardCode     the ward, or null when the record is district-level only
 * @param wardName     the ward's name, or null
 * @param districtCode the district, or null when the record has no area (it counts in the partnership only)
 * @param districtName the district's name, or null
 * @param dimensions   breakdown name to value (e.g. category = NUISANCE); a breakdown the record has no value for is absent
 * @param counters     what the record adds to each counter of the family
 */
public record Contribution(YearMonth month, String wardCode, String wardName, String districtCode,
        String districtName, Map<String, String> dimensions, long[] counters) {

    public Contribution {
        Objects.requireNonNull(month, "month");
        dimensions = Map.copyOf(dimensions);
        counters = counters.clone();
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Contribution that && month.equals(that.month)
                && Objects.equals(wardCode, that.wardCode) && Objects.equals(wardName, that.wardName)
                && Objects.equals(districtCode, that.districtCode) && Objects.equals(districtName, that.districtName)
                && dimensions.equals(that.dimensions) && Arrays.equals(counters, that.counters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(month, wardCode, districtCode, dimensions, Arrays.hashCode(counters));
    }

    @Override
    public String toString() {
        return "Contribution[" + month + ", " + wardCode + ", " + districtCode + ", " + dimensions + ", "
                + Arrays.toString(counters) + "]";
    }
}
