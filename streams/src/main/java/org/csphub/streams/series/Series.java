package org.csphub.streams.series;

import java.time.YearMonth;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The monthly counters of one area in one breakdown: the aggregate every period of that area is
 * computed from. Months whose counters all fall back to zero (every record retracted or moved)
 * are dropped, so a series holds exactly the months that some current record belongs to.
 *
 * <p>A {@link Kind#SHARE} series is a ward joined with its district: counter 0 is the ward's
 * count and counter 1 the district's.
 */
public final class Series {

    /** What the counters of a series mean. */
    public enum Kind { COUNTS, SHARE }

    private final Kind kind;
    private String areaName;
    private String parentCode;
    private final TreeMap<YearMonth, long[]> months;

    public Series(final Kind kind, final String areaName, final String parentCode,
            final Map<YearMonth, long[]> months) {
        this.kind = kind;
        this.areaName = areaName == null ? "" : areaName;
        this.parentCode = parentCode == null ? "" : parentCode;
        this.months = new TreeMap<>();
        months.forEach((month, counters) -> this.months.put(month, counters.clone()));
    }

    public static Series empty() {
        return new Series(Kind.COUNTS, "", "", Map.of());
    }

    public Kind kind() {
        return kind;
    }

    public String areaName() {
        return areaName;
    }

    /** The district of a ward's series; empty for other areas. */
    public String parentCode() {
        return parentCode;
    }

    /** The months with a current record, in order, with their counters (not to be changed). */
    public TreeMap<YearMonth, long[]> months() {
        return months;
    }

    /** The counter {@code index} of {@code month}, 0 when the month has no record. */
    public long count(final YearMonth month, final int index) {
        final long[] counters = months.get(month);
        return counters == null || index >= counters.length ? 0 : counters[index];
    }

    /**
     * This series with a contribution added: a record's, or a cell's signed change, whose negative
     * counters take away what a superseded or retracted record had added (changes and returns this
     * series).
     */
    public Series add(final Contribution contribution, final String name, final String parent) {
        areaName = name == null ? "" : name;
        parentCode = parent == null ? "" : parent;
        final long[] add = contribution.counters();
        final long[] counters = months.computeIfAbsent(contribution.month(), month -> new long[add.length]);
        final long[] grown = counters.length >= add.length ? counters : Arrays.copyOf(counters, add.length);
        boolean empty = true;
        for (int i = 0; i < grown.length; i++) {
            if (i < add.length) {
                grown[i] += add[i];
            }
            empty &= grown[i] == 0;
        }
        if (empty) {
            months.remove(contribution.month());
        } else {
            months.put(contribution.month(), grown);
        }
        return this;
    }

    @Override
    public boolean equals(final Object other) {
        if (!(other instanceof Series that) || kind != that.kind || !areaName.equals(that.areaName)
                || !parentCode.equals(that.parentCode) || !months.keySet().equals(that.months.keySet())) {
            return false;
        }
        return months.entrySet().stream().allMatch(entry -> Arrays.equals(entry.getValue(), that.months.get(entry.getKey())));
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, areaName, parentCode, months.keySet());
    }

    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder("Series[").append(kind).append(", ").append(areaName).append(", {");
        months.forEach((month, counters) -> text.append(month).append('=').append(Arrays.toString(counters)).append(' '));
        return text.append("}]").toString();
    }
}
