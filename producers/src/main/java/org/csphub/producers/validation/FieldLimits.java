package org.csphub.producers.validation;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.csphub.contracts.Column;
import org.csphub.contracts.ColumnType;
import org.csphub.contracts.FeedContract;
import org.csphub.contracts.Limits;

/**
 * How long a value of an export may be, in characters: an id, an area (a ward or district name, an
 * LSOA code), any other value, and a whole row. A value over its limit refuses its row with the
 * reason, never the file; the bounds also keep every record the hub builds, dead letters included,
 * well within what a Kafka producer sends by default.
 *
 * @param columns limits of particular columns, over the kind's
 */
public record FieldLimits(int id, int area, int value, int row, Map<String, Integer> columns) {

    /**
     * The contracts' defaults ({@link Limits#DEFAULTS}): ids 128 characters, area names 200, any value
     * 4 KiB, a row 64 KiB.
     */
    public static final FieldLimits DEFAULTS = new FieldLimits(Limits.DEFAULTS.id(), Limits.DEFAULTS.area(),
            Limits.DEFAULTS.value(), Limits.DEFAULTS.row(), Map.of());

    private static final Set<String> AREA_COLUMNS = Set.of(AreaResolver.WARD, AreaResolver.LSOA,
            AreaResolver.DISTRICT);

    public FieldLimits {
        columns = Map.copyOf(columns);
        if (id < 1 || area < 1 || value < 1 || row < value) {
            throw new IllegalArgumentException("Limits must be positive and a row at least as long as a value: id "
                    + id + ", area " + area + ", value " + value + ", row " + row);
        }
    }

    /** A feed contract's limits, with each column's own; an area's applies to each column it is given by. */
    public static FieldLimits of(final FeedContract contract) {
        final Map<String, Integer> columns = new HashMap<>();
        for (final Column column : contract.columns()) {
            column.limit().ifPresent(limit -> {
                if (column.type() instanceof ColumnType.Area area) {
                    area.givenAs().forEach(source -> columns.put(source.column(), limit));
                } else {
                    columns.put(column.name(), limit);
                }
            });
        }
        final Limits limits = contract.limits();
        return new FieldLimits(limits.id(), limits.area(), limits.value(), limits.row(), columns);
    }

    /** The limit of {@code column} in a contract whose id column is {@code idColumn}. */
    public int of(final String column, final String idColumn) {
        final Integer own = columns.get(column);
        if (own != null) {
            return own;
        }
        if (column.equals(idColumn)) {
            return id;
        }
        return AREA_COLUMNS.contains(column) ? area : value;
    }
}
