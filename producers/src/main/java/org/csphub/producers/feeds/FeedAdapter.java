package org.csphub.producers.feeds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.csphub.contracts.Column;
import org.csphub.contracts.ColumnType;
import org.csphub.contracts.FeedContract;
import org.csphub.producers.privacy.ClientHasher;
import org.csphub.producers.validation.AreaResolver;
import org.csphub.producers.validation.ExportContract;
import org.csphub.producers.validation.RowFields;
import org.csphub.topics.Feed;

/**
 * One partner feed's adapter, built from its contract: its export contract, and how a row of it
 * becomes a record of the contract's schema. The id and the {@code action} column are handled by the
 * intake; the adapter checks every other column by its type and records every problem on the row.
 * Columns are checked in the contract's order, except that an area is checked after the family's
 * period column, whose date it is resolved on.
 */
public final class FeedAdapter {

    private static final String RECEIVED_AT = "received_at";
    private static final String SOURCE = "source";

    private final String slug;
    private final Feed feed;
    private final ExportContract export;
    private final Schema schema;
    private final List<FieldRule> rules;

    /**
     * The adapter of {@code contract}, resolving areas with {@code areas}. {@code hasher} is asked for
     * only when a column is a person's reference, and may refuse (an {@link IllegalStateException}
     * saying which key to set).
     */
    public FeedAdapter(final FeedContract contract, final AreaResolver areas,
            final Supplier<ClientHasher> hasher) {
        this.slug = contract.slug();
        this.feed = Feed.of(contract);
        this.export = ExportContract.of(contract);
        this.schema = contract.avroSchema();
        this.rules = rulesOf(contract, schema, areas, hasher);
    }

    /** The feed this adapter is for. */
    public Feed feed() {
        return feed;
    }

    public ExportContract contract() {
        return export;
    }

    /**
     * The record of an upserted row, or empty when the row has problems (they are in {@code row.problems()}).
     *
     * @param id the row's id, already checked
     * @param receivedAt when the intake accepted the row
     * @param source the file and line, or the request id and line
     */
    public Optional<GenericRecord> toRecord(final String id, final RowFields row, final Instant receivedAt,
            final String source) {
        final RowValues values = new RowValues(id, schema.getFields().size());
        for (final FieldRule rule : rules) {
            rule.check(row, values);
        }
        if (!row.problems().isEmpty()) {
            return Optional.empty();
        }
        final GenericData.Record record = new GenericData.Record(schema);
        for (final FieldRule rule : rules) {
            if (rule.givesField()) {
                record.put(rule.position(), rule.value(values));
            }
        }
        record.put(RECEIVED_AT, receivedAt.toEpochMilli());
        record.put(SOURCE, source);
        return Optional.of(record);
    }

    /** One rule per column, in the order they are checked: an area waits for the period column. */
    private static List<FieldRule> rulesOf(final FeedContract contract, final Schema schema, final AreaResolver areas,
            final Supplier<ClientHasher> hasher) {
        final String period = contract.family().period();
        final List<FieldRule> rules = new ArrayList<>();
        FieldRule waiting = null;
        boolean periodRead = false;
        for (final Column column : contract.columns()) {
            final FieldRule rule = ruleOf(contract, column, schema, areas, hasher);
            if (rule instanceof FieldRule.Area && !periodRead) {
                waiting = rule;
                continue;
            }
            rules.add(rule);
            if (column.name().equals(period)) {
                periodRead = true;
                if (waiting != null) {
                    rules.add(waiting);
                    waiting = null;
                }
            }
        }
        if (waiting != null) {
            rules.add(waiting);
        }
        // a value within its group is checked once both are read
        for (final Column column : contract.columns()) {
            if (column.type() instanceof ColumnType.Enum enumeration && enumeration.within().isPresent()) {
                final ColumnType.Within within = enumeration.within().get();
                final Column group = contract.column(within.column()).orElseThrow();
                rules.add(new FieldRule.WithinGroup(schema.getField(column.field()).pos(), column.name(),
                        schema.getField(group.field()).pos(), group.name(), within));
            }
        }
        return List.copyOf(rules);
    }

    private static FieldRule ruleOf(final FeedContract contract, final Column column, final Schema schema,
            final AreaResolver areas, final Supplier<ClientHasher> hasher) {
        final int position = schema.getField(column.field()).pos();
        final String name = column.name();
        final boolean blankAllowed = column.mayBeBlank();
        final boolean period = name.equals(contract.family().period());
        return switch (column.type()) {
            case ColumnType.Id id -> new FieldRule.Id(position);
            case ColumnType.Date date -> new FieldRule.Date(position, name, blankAllowed, period);
            case ColumnType.DateTime dateTime -> new FieldRule.DateTime(position, name, blankAllowed, period);
            case ColumnType.Enum enumeration -> enumeration.banding().isPresent()
                    ? banded(contract, column, enumeration, enumOf(schema, column), schema)
                    : new FieldRule.Enum(position, name, !blankAllowed, enumOf(schema, column), column.defaultValue());
            case ColumnType.Integer integer -> new FieldRule.Whole(position, name, blankAllowed, integer.min(),
                    integer.max(), column.defaultValue() == null ? null : Integer.valueOf(column.defaultValue()));
            case ColumnType.YesNo yesNo -> new FieldRule.YesNo(position, name, blankAllowed,
                    column.defaultValue() == null ? null : "yes".equals(column.defaultValue()));
            case ColumnType.Area given -> new FieldRule.Area(position, given.givenAs(), blankAllowed, areas);
            case ColumnType.Age age -> new FieldRule.Age(position, name, blankAllowed, age.max());
            case ColumnType.PersonRef ref -> new FieldRule.PersonRef(position, name, hasher.get());
        };
    }

    private static FieldRule banded(final FeedContract contract, final Column column, final ColumnType.Enum type,
            final Schema symbols, final Schema schema) {
        final ColumnType.Banding banding = type.banding().orElseThrow();
        final Column from = contract.column(banding.from()).orElseThrow();
        final ColumnType.Integer range = (ColumnType.Integer) from.type();
        final String missing = "give " + withArticle(from.label()) + " (" + range.min() + "-" + range.max() + ") or "
                + withArticle(column.label()) + " (" + String.join(", ", type.values()) + ")";
        return new FieldRule.BandedEnum(schema.getField(column.field()).pos(), column.name(), symbols, banding,
                schema.getField(from.field()).pos(), column.defaultValue(), missing);
    }

    /** The enum schema of {@code column}'s field, out of its union with null when it has one. */
    private static Schema enumOf(final Schema schema, final Column column) {
        final Schema type = schema.getField(column.field()).schema();
        return type.getType() == Schema.Type.UNION
                ? type.getTypes().stream().filter(branch -> branch.getType() == Schema.Type.ENUM).findFirst()
                        .orElseThrow()
                : type;
    }

    /** "a DASH score", "an age band". */
    private static String withArticle(final String label) {
        return ("aeiouAEIOU".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label;
    }
}
