package org.csphub.producers.feeds;

import java.time.Instant;
import java.time.LocalDate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.csphub.contracts.ShippedContracts;
import org.csphub.topics.Feed;

/**
 * A raw record a test expects, set field by field on the schema of a shipped feed's contract, with
 * values as the adapter holds them: an {@link Instant} as epoch milliseconds, a {@link LocalDate} as
 * its day number, an enum field's value as its symbol.
 */
public final class ExpectedRecord {

    private final Schema schema;
    private final GenericRecordBuilder builder;

    private ExpectedRecord(final Schema schema) {
        this.schema = schema;
        this.builder = new GenericRecordBuilder(schema);
    }

    public static ExpectedRecord of(final Feed feed) {
        return new ExpectedRecord(ShippedContracts.of(feed.slug()).avroSchema());
    }

    public ExpectedRecord set(final String field, final Object value) {
        builder.set(field, valueOf(schema.getField(field).schema(), value));
        return this;
    }

    public GenericRecord build() {
        return builder.build();
    }

    /** An enum field's symbol as the record holds it, for comparing with {@code record.get(field)}. */
    public static GenericData.EnumSymbol symbol(final Feed feed, final String field, final String symbol) {
        return (GenericData.EnumSymbol) valueOf(ShippedContracts.of(feed.slug()).avroSchema().getField(field).schema(),
                symbol);
    }

    private static Object valueOf(final Schema type, final Object value) {
        return switch (value) {
            case Instant instant -> instant.toEpochMilli();
            case LocalDate date -> (int) date.toEpochDay();
            case String text when type.getType() == Schema.Type.ENUM -> new GenericData.EnumSymbol(type, text);
            case null, default -> value;
        };
    }
}
