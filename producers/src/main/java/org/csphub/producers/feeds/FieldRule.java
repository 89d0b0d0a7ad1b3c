package org.csphub.producers.feeds;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.csphub.contracts.ColumnType;
import org.csphub.producers.privacy.AgeBands;
import org.csphub.producers.privacy.ClientHasher;
import org.csphub.producers.validation.AreaResolver;
import org.csphub.producers.validation.RejectionCode;
import org.csphub.producers.validation.RowFields;

/**
 * How one contract column of a row becomes its record field: {@link #check} reads the column, adding
 * any problem to the row, and {@link #value} gives the field once the whole row has been read without
 * one. Values are Avro's own: a date is its day number, a datetime its epoch milliseconds, so that a
 * record encodes the same with or without a compiled class for its schema.
 */
sealed interface FieldRule {

    /** The position of the column's field in the record. */
    int position();

    /** Reads the column of {@code row} into {@code values}. */
    void check(RowFields row, RowValues values);

    /** The field's value once every column has been read. */
    default Object value(final RowValues values) {
        return values.get(position());
    }

    /** Whether the rule gives its field's value; a check across columns leaves it to the column's own rule. */
    default boolean givesField() {
        return true;
    }

    /** The row's id: the intake has checked it. */
    record Id(int position) implements FieldRule {
        @Override
        public void check(final RowFields row, final RowValues values) {
            values.set(position, values.id());
        }
    }

    /** A date, not after today; the period's date when {@code period}. */
    record Date(int position, String column, boolean blankAllowed, boolean period) implements FieldRule {
        @Override
        public void check(final RowFields row, final RowValues values) {
            if (blankAllowed && row.value(column).isEmpty()) {
                return;
            }
            row.date(column).ifPresent(date -> {
                values.set(position, (int) date.toEpochDay());
                if (period) {
                    values.period(date);
                }
            });
        }
    }

    /** A moment, read as Europe/London and not after now; the period's date when {@code period}. */
    record DateTime(int position, String column, boolean blankAllowed, boolean period) implements FieldRule {
        @Override
        public void check(final RowFields row, final RowValues values) {
            if (blankAllowed && row.value(column).isEmpty()) {
                return;
            }
            row.moment(column).ifPresent(moment -> {
                values.set(position, moment.instant().toEpochMilli());
                if (period) {
                    values.period(moment.localDate());
                }
            });
        }
    }

    /** One of the enum's values; a blank takes {@code defaultSymbol} (null for none). */
    record Enum(int position, String column, boolean mandatory, Schema symbols, String defaultSymbol)
            implements FieldRule {
        @Override
        public void check(final RowFields row, final RowValues values) {
            row.choice(column, symbols.getEnumSymbols(), mandatory)
                    .ifPresent(symbol -> values.set(position, new GenericData.EnumSymbol(symbols, symbol)));
        }

        @Override
        public Object value(final RowValues values) {
            final Object read = values.get(position);
            return read != null || defaultSymbol == null ? read : new GenericData.EnumSymbol(symbols, defaultSymbol);
        }
    }

    /**
     * An enum banded from an integer column: a value the row gives wins (professional judgement), else
     * the band of the integer, else {@code defaultSymbol}; a row with none of them is refused with
     * {@code missing}, on the integer's column when the file has it.
     */
    record BandedEnum(int position, String column, Schema symbols, ColumnType.Banding banding, int fromPosition,
            String defaultSymbol, String missing) implements FieldRule {
        @Override
        public void check(final RowFields row, final RowValues values) {
            row.choice(column, symbols.getEnumSymbols(), false)
                    .ifPresent(symbol -> values.set(position, new GenericData.EnumSymbol(symbols, symbol)));
            if (defaultSymbol == null && row.value(banding.from()).isEmpty() && row.value(column).isEmpty()) {
                row.reject(row.hasColumn(banding.from()) ? banding.from() : column, RejectionCode.MISSING_VALUE,
                        missing);
            }
        }

        @Override
        public Object value(final RowValues values) {
            final Object given = values.get(position);
            if (given != null) {
                return given;
            }
            final Object score = values.get(fromPosition);
            if (score != null) {
                return new GenericData.EnumSymbol(symbols, banding.bandOf((Integer) score));
            }
            return new GenericData.EnumSymbol(symbols, defaultSymbol);
        }
    }

    /** A whole number within {@code min..max}; a blank, when allowed, takes {@code defaultValue} (or null). */
    record Whole(int position, String column, boolean blankAllowed, int min, int max, Integer defaultValue)
            implements FieldRule {
        @Override
        public void check(final RowFields row, final RowValues values) {
            if (!blankAllowed) {
                row.required(column);
            }
            row.whole(column, min, max).ifPresent(number -> values.set(position, number));
        }

        @Override
        public Object value(final RowValues values) {
            final Object read = values.get(position);
            return read != null ? read : defaultValue;
        }
    }

    /** Yes or no; a blank, when allowed, takes {@code defaultValue} (or null). */
    record YesNo(int position, String column, boolean blankAllowed, Boolean defaultValue) implements FieldRule {
        @Override
        public void check(final RowFields row, final RowValues values) {
            if (blankAllowed && row.value(column).isEmpty()) {
                return;
            }
            row.yesNo(column).ifPresent(flag -> values.set(position, flag));
        }

        @Override
        public Object value(final RowValues values) {
            final Object read = values.get(position);
            return read != null ? read : defaultValue;
        }
    }

    /**
     * An enum value within its group, once both columns are read: a row giving both must give a value
     * the group allows. The enum's own rule gives its field.
     */
    record WithinGroup(int position, String column, int groupPosition, String groupColumn, ColumnType.Within within)
            implements FieldRule {
        @Override
        public void check(final RowFields row, final RowValues values) {
            final Object value = values.get(position);
            final Object group = values.get(groupPosition);
            if (value == null || group == null || within.allows(group.toString(), value.toString())) {
                return;
            }
            final List<String> allowed = within.valuesOf(group.toString());
            row.reject(column, RejectionCode.NOT_IN_GROUP, "'" + value + "' is not within " + groupColumn + " "
                    + group + "; " + (allowed.isEmpty() ? groupColumn + " " + group + " has no " + column
                    : "with " + groupColumn + " " + group + ", " + column + " is one of " + String.join(", ", allowed)));
        }

        @Override
        public boolean givesField() {
            return false;
        }
    }

    /**
     * The area from the columns it is given by, a ward on the date of the row's period; when
     * {@code blankAllowed}, a row leaving every area column blank has none (null).
     */
    record Area(int position, List<ColumnType.AreaSource> givenAs, boolean blankAllowed, AreaResolver areas)
            implements FieldRule {

        private static final List<ColumnType.AreaSource> WARD_OR_LSOA = List.of(ColumnType.AreaSource.WARD,
                ColumnType.AreaSource.LSOA);
        private static final List<ColumnType.AreaSource> WARD_OR_DISTRICT = List.of(ColumnType.AreaSource.WARD,
                ColumnType.AreaSource.DISTRICT);

        public Area {
            givenAs = List.copyOf(givenAs);
        }

        @Override
        public void check(final RowFields row, final RowValues values) {
            if (blankAllowed && givenAs.stream().allMatch(source -> row.value(source.column()).isEmpty())) {
                return;
            }
            final Optional<org.csphub.geography.Area> area;
            if (givenAs.equals(WARD_OR_LSOA)) {
                area = areas.wardOrLsoa(row, values.period());
            } else if (givenAs.equals(WARD_OR_DISTRICT)) {
                area = areas.wardOrDistrict(row, values.period());
            } else {
                area = areas.district(row);
            }
            area.ifPresent(found -> values.set(position, found));
        }
    }

    /** An age up to {@code max}, kept only as its ONS five-year band. */
    record Age(int position, String column, boolean blankAllowed, int max) implements FieldRule {
        @Override
        public void check(final RowFields row, final RowValues values) {
            if (!blankAllowed) {
                row.required(column);
            }
            row.whole(column, 0, max).ifPresent(age -> values.set(position, AgeBands.bandOf(age)));
        }
    }

    /** A person's reference, replaced by its keyed hash once the row is accepted. */
    record PersonRef(int position, String column, ClientHasher hasher) implements FieldRule {
        @Override
        public void check(final RowFields row, final RowValues values) {
            row.required(column).ifPresent(reference -> values.set(position, reference));
        }

        @Override
        public Object value(final RowValues values) {
            return hasher.hash((String) values.get(position));
        }
    }
}
