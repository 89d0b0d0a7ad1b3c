package org.csphub.streams.series;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.csphub.contracts.ColumnType;
import org.csphub.contracts.FamilySpec;
import org.csphub.contracts.FeedContract;
import org.csphub.streams.periods.Periods;

/**
 * A feed contract's metric family as the series engine runs it, and what one of the feed's records
 * contributes to it. Counter {@code i} is the contract's {@code i}-th count, published or not, so the
 * order of the counts in the file fixes the counters.
 */
public final class ContractFamilies {

    private ContractFamilies() {
    }

    /** The family of {@code contract} for the partnership {@code cspCode}, {@code cspName}. */
    public static MetricFamily of(final FeedContract contract, final String cspCode, final String cspName) {
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
        return new MetricFamily(spec.name(), spec.topic(), spec.levels(),
                spec.breakdowns().stream().map(FamilySpec.Breakdown::dimension).toList(), counts, rates,
                spec.wardShare().orElse(null), projection, cspCode, cspName);
    }

    /** The total and the dimensions of the breakdowns by {@code columns}. */
    private static Set<String> dimensions(final FamilySpec spec, final List<String> columns) {
        final Set<String> dimensions = new LinkedHashSet<>();
        dimensions.add(MetricFamily.TOTAL);
        columns.forEach(column -> dimensions.add(spec.breakdown(column).dimension()));
        return Set.copyOf(dimensions);
    }

    /**
     * What {@code record}, a record of {@code contract}'s schema (generic or generated), adds to the
     * family: a breakdown's value where the record meets its filter (its {@code missing} value when the
     * field is null), and per count 1, the summed column's value, or the repeat flag, where the record
     * meets the count's filter.
     *
     * @param repeat whether the record's person had another record within the family's repeat window
     *               (a family has one); only counts with a {@code repeat} read it
     */
    public static Contribution contribution(final FeedContract contract, final GenericRecord record,
            final boolean repeat) {
        final FamilySpec spec = contract.family();
        final Map<String, String> dimensions = new HashMap<>();
        for (final FamilySpec.Breakdown breakdown : spec.breakdowns()) {
            if (!meets(contract, record, breakdown.where())) {
                continue;
            }
            final Object value = record.get(fieldOf(contract, breakdown.column()));
            if (value != null) {
                dimensions.put(breakdown.dimension(), value.toString());
            } else if (breakdown.missing() != null) {
                dimensions.put(breakdown.dimension(), breakdown.missing());
            }
        }
        final long[] counters = new long[spec.counts().size()];
        for (int i = 0; i < counters.length; i++) {
            final FamilySpec.Count count = spec.counts().get(i);
            if (!meets(contract, record, count.where())) {
                continue;
            }
            if (count.repeat().isPresent()) {
                counters[i] = repeat ? 1 : 0;
            } else if (count.sum().isPresent()) {
                final Object value = record.get(fieldOf(contract, count.sum().get()));
                counters[i] = value == null ? 0 : ((Number) value).longValue();
            } else {
                counters[i] = 1;
            }
        }
        final GenericRecord area = (GenericRecord) record.get(areaField(contract));
        return new Contribution(monthOf(record.get(fieldOf(contract, spec.period()))), text(area, "ward_code"),
                text(area, "ward_name"), text(area, "district_code"), text(area, "district_name"), dimensions,
                counters);
    }

    private static boolean meets(final FeedContract contract, final GenericRecord record,
            final FamilySpec.Filter filter) {
        for (final Map.Entry<String, Set<String>> condition : filter.conditions().entrySet()) {
            final Object value = record.get(fieldOf(contract, condition.getKey()));
            final String text = value instanceof Boolean flag ? (flag ? "yes" : "no") : String.valueOf(value);
            if (!condition.getValue().contains(text)) {
                return false;
            }
        }
        return true;
    }

    /** A date or datetime field as a generated record (LocalDate, Instant) or a generic one (days, millis) holds it. */
    private static YearMonth monthOf(final Object value) {
        return switch (value) {
            case Instant instant -> Periods.month(instant);
            case LocalDate date -> Periods.month(date);
            case Long millis -> Periods.month(Instant.ofEpochMilli(millis));
            case Integer days -> Periods.month(LocalDate.ofEpochDay(days));
            default -> throw new IllegalArgumentException("Not a date or datetime: " + value);
        };
    }

    private static String fieldOf(final FeedContract contract, final String column) {
        return contract.column(column).orElseThrow().field();
    }

    private static String areaField(final FeedContract contract) {
        return contract.columns().stream().filter(column -> column.type() instanceof ColumnType.Area)
                .findFirst().orElseThrow().field();
    }

    private static String text(final GenericRecord record, final String field) {
        final Object value = record.get(field);
        return value == null ? null : value.toString();
    }
}
