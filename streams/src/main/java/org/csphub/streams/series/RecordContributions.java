package org.csphub.streams.series;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.csphub.contracts.ColumnType;
import org.csphub.contracts.FamilySpec;
import org.csphub.contracts.FeedContract;
import org.csphub.geography.Area;
import org.csphub.streams.periods.Periods;

/**
 * What each record of a feed adds to its family, as the feed's contract says: a breakdown's value where
 * the record meets the breakdown's filter (its {@code missing} value when the field is null), and per
 * count 1, the summed column's value, or the repeat flag, where the record meets the count's filter. A
 * record without an area (where the contract allows one) has no ward and no district: it counts at the
 * partnership level only.
 * The contract's names are resolved to record fields once, so a record costs a few field reads.
 * Records are those of the contract's schema, generic or generated: a date field is read as a
 * {@link LocalDate} or its epoch day, a datetime as an {@link Instant} or its epoch milliseconds.
 */
public final class RecordContributions {

    private final List<Breakdown> breakdowns;
    private final List<Count> counts;
    private final int idField;
    private final int periodField;
    private final int areaField;
    private final Optional<FamilySpec.Repeat> repeat;
    private final int personField;

    /** A field by its position in the contract's schema, as a generic record read as it has it, and a generated one. */
    private record Condition(int field, Set<String> values) {
    }

    private record Breakdown(String dimension, int field, List<Condition> where, String missing) {
    }

    /** A count: 1 per record, the value of {@code sumField} (-1: none), or the repeat flag, if {@code where} holds. */
    private record Count(List<Condition> where, int sumField, boolean repeat) {
    }

    private static final int WARD_CODE = Area.getClassSchema().getField("ward_code").pos();
    private static final int WARD_NAME = Area.getClassSchema().getField("ward_name").pos();
    private static final int DISTRICT_CODE = Area.getClassSchema().getField("district_code").pos();
    private static final int DISTRICT_NAME = Area.getClassSchema().getField("district_name").pos();

    public RecordContributions(final FeedContract contract) {
        final FamilySpec spec = contract.family();
        this.breakdowns = spec.breakdowns().stream().map(breakdown -> new Breakdown(breakdown.dimension(),
                fieldOf(contract, breakdown.column()), conditions(contract, breakdown.where()), breakdown.missing()))
                .toList();
        this.counts = spec.counts().stream().map(count -> new Count(conditions(contract, count.where()),
                count.sum().map(column -> fieldOf(contract, column)).orElse(-1), count.repeat().isPresent()))
                .toList();
        this.idField = fieldOf(contract, contract.idColumn().name());
        this.periodField = fieldOf(contract, spec.period());
        this.areaField = fieldOf(contract, contract.columns().stream()
                .filter(column -> column.type() instanceof ColumnType.Area).findFirst().orElseThrow().name());
        this.repeat = spec.counts().stream().flatMap(count -> count.repeat().stream()).findFirst();
        this.personField = repeat.map(r -> fieldOf(contract, r.person())).orElse(-1);
    }

    /** The family's definition of a repeat, when one of its counts counts repeats. */
    public Optional<FamilySpec.Repeat> repeat() {
        return repeat;
    }

    /**
     * What {@code record} adds to the family.
     *
     * @param isRepeat whether the record's person had another record within the family's repeat window;
     *                 only counts with a {@code repeat} read it
     */
    public Contribution of(final GenericRecord record, final boolean isRepeat) {
        final Map<String, String> dimensions = new HashMap<>();
        for (final Breakdown breakdown : breakdowns) {
            if (!meets(record, breakdown.where())) {
                continue;
            }
            final Object value = record.get(breakdown.field());
            if (value != null) {
                dimensions.put(breakdown.dimension(), value.toString());
            } else if (breakdown.missing() != null) {
                dimensions.put(breakdown.dimension(), breakdown.missing());
            }
        }
        final long[] counters = new long[counts.size()];
        for (int i = 0; i < counters.length; i++) {
            final Count count = counts.get(i);
            if (!meets(record, count.where())) {
                continue;
            }
            if (count.repeat()) {
                counters[i] = isRepeat ? 1 : 0;
            } else if (count.sumField() >= 0) {
                final Object value = record.get(count.sumField());
                counters[i] = value == null ? 0 : ((Number) value).longValue();
            } else {
                counters[i] = 1;
            }
        }
        final GenericRecord area = (GenericRecord) record.get(areaField);
        if (area == null) {
            // an area the contract lets a row leave blank: the record counts in the partnership only
            return new Contribution(YearMonth.from(dateOf(record)), null, null, null, null, dimensions, counters);
        }
        return new Contribution(YearMonth.from(dateOf(record)), text(area, WARD_CODE), text(area, WARD_NAME),
                text(area, DISTRICT_CODE), text(area, DISTRICT_NAME), dimensions, counters);
    }

    /** The record's id: its Kafka key. */
    public String idOf(final GenericRecord record) {
        return record.get(idField).toString();
    }

    /** The keyed hash of the record's person, for a family that counts repeats. */
    public String personOf(final GenericRecord record) {
        return record.get(personField).toString();
    }

    /** The record's day in Europe/London, by its period column. */
    public LocalDate dateOf(final GenericRecord record) {
        return switch (record.get(periodField)) {
            case Instant instant -> instant.atZone(Periods.LONDON).toLocalDate();
            case LocalDate date -> date;
            case Long millis -> Instant.ofEpochMilli(millis).atZone(Periods.LONDON).toLocalDate();
            case Integer days -> LocalDate.ofEpochDay(days);
            case Object other -> throw new IllegalArgumentException("Not a date or datetime: " + other);
        };
    }

    private static boolean meets(final GenericRecord record, final List<Condition> conditions) {
        for (final Condition condition : conditions) {
            final Object value = record.get(condition.field());
            final String text = value instanceof Boolean flag ? (flag ? "yes" : "no") : String.valueOf(value);
            if (!condition.values().contains(text)) {
                return false;
            }
        }
        return true;
    }

    private static List<Condition> conditions(final FeedContract contract, final FamilySpec.Filter filter) {
        return filter.conditions().entrySet().stream()
                .map(condition -> new Condition(fieldOf(contract, condition.getKey()),
                        Set.copyOf(condition.getValue())))
                .toList();
    }

    /** The position of {@code column}'s field in the contract's schema. */
    private static int fieldOf(final FeedContract contract, final String column) {
        return contract.avroSchema().getField(contract.column(column).orElseThrow().field()).pos();
    }

    private static String text(final GenericRecord record, final int field) {
        final Object value = record.get(field);
        return value == null ? null : value.toString();
    }
}
