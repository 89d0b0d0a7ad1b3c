package org.csphub.streams.series;

import java.util.List;
import org.csphub.metrics.AreaType;

/**
 * The identity of a series: an area and a breakdown. It is the key of the series aggregates and of
 * their repartition topics, written as text ({@code WARD|E05013050|category|NUISANCE}, with empty
 * dimension fields for the total) so that it partitions the same way in every topic.
 */
public record SeriesKey(AreaType areaType, String areaCode, String dimension, String dimensionValue) {

    /** The key of records that have no series at a level (a fire without a ward at WARD level). */
    public static final String NONE = "-";
    private static final String SEPARATOR = "|";

    /** The total of an area (no breakdown). */
    public static SeriesKey total(final AreaType areaType, final String areaCode) {
        return new SeriesKey(areaType, areaCode, "", "");
    }

    public boolean isTotal() {
        return dimension.isEmpty();
    }

    public String text() {
        return String.join(SEPARATOR, areaType.name(), areaCode, dimension, dimensionValue);
    }

    /** The key of a text, or null for {@link #NONE}. */
    public static SeriesKey parse(final String text) {
        if (NONE.equals(text)) {
            return null;
        }
        final List<String> parts = List.of(text.split("\\|", -1));
        return new SeriesKey(AreaType.valueOf(parts.get(0)), parts.get(1), parts.get(2), parts.get(3));
    }

    /** The prefix shared by every series of an area ({@code WARD|E05013050|}). */
    public static String areaPrefix(final AreaType areaType, final String areaCode) {
        return areaType.name() + SEPARATOR + areaCode + SEPARATOR;
    }
}
