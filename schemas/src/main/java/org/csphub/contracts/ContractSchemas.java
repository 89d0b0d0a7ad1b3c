package org.csphub.contracts;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.csphub.geography.Area;

/**
 * The raw record schema a feed contract produces: one field per column in the contract's order, then
 * {@code received_at} and {@code source}. Strings carry {@code avro.java.string: String}, as the hub's
 * compiled records do, so that a contract's schema is the very one those records register.
 */
public final class ContractSchemas {

    static final String RECEIVED_AT = "received_at";
    static final String SOURCE = "source";

    private ContractSchemas() {
    }

    /** The record schema of {@code contract}. */
    public static Schema recordOf(final FeedContract contract) {
        final FeedContract.RecordName name = contract.record();
        final List<Schema.Field> fields = new ArrayList<>();
        for (final Column column : contract.columns()) {
            fields.add(field(column, name.namespace()));
        }
        fields.add(new Schema.Field(RECEIVED_AT, timestamp(), "When the hub's adapter accepted the row."));
        fields.add(new Schema.Field(SOURCE, nullable(string()),
                "Where the row came from: file name and line, or the HTTP request id.", JsonProperties.NULL_VALUE));
        return Schema.createRecord(name.name(), name.doc(), name.namespace(), false, fields);
    }

    private static Schema.Field field(final Column column, final String namespace) {
        final Schema type = switch (column.type()) {
            case ColumnType.Id id -> string();
            case ColumnType.Date date -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case ColumnType.DateTime dateTime -> timestamp();
            case ColumnType.Enum enumeration -> Schema.createEnum(enumeration.symbol(), enumeration.doc(), namespace,
                    enumeration.values());
            case ColumnType.Integer integer -> Schema.create(Schema.Type.INT);
            case ColumnType.YesNo yesNo -> Schema.create(Schema.Type.BOOLEAN);
            case ColumnType.Area area -> Area.getClassSchema();
            // the band, never the age: ONS five-year bands as strings ("0-4" ... "90+")
            case ColumnType.Age age -> string();
            // the keyed hash (hex), never the reference
            case ColumnType.PersonRef ref -> string();
        };
        if (column.defaultValue() != null) {
            return new Schema.Field(column.field(), type, column.doc(), defaultOf(column));
        }
        // a banded enum always has a value: the row's own, or its band
        final boolean alwaysGiven = column.type() instanceof ColumnType.Enum enumeration
                && enumeration.banding().isPresent();
        if (column.mayBeBlank() && !alwaysGiven) {
            return new Schema.Field(column.field(), nullable(type), column.doc(), JsonProperties.NULL_VALUE);
        }
        return new Schema.Field(column.field(), type, column.doc());
    }

    private static Object defaultOf(final Column column) {
        final String text = column.defaultValue();
        return switch (column.type()) {
            case ColumnType.YesNo yesNo -> "yes".equals(text);
            case ColumnType.Integer integer -> Integer.parseInt(text);
            default -> text;
        };
    }

    private static Schema string() {
        final Schema string = Schema.create(Schema.Type.STRING);
        GenericData.setStringType(string, GenericData.StringType.String);
        return string;
    }

    private static Schema timestamp() {
        return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    }

    private static Schema nullable(final Schema type) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), type);
    }
}
