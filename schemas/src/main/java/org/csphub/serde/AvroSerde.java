package org.csphub.serde;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The serializer and deserializer of one record class, in the Confluent wire format. */
public final class AvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

    public AvroSerde(final Class<T> type) {
        super(new AvroSerializer<>(), new AvroDeserializer<>(type));
    }

    public AvroSerde(final Class<T> type, final SchemaRegistry registry, final boolean isKey) {
        super(new AvroSerializer<>(registry, isKey), new AvroDeserializer<>(registry, type));
    }

    /**
     * A serde of generic records of {@code schema}, configured from Kafka client properties: records
     * written with another compatible version of the schema are read as this one.
     */
    public static Serde<GenericRecord> generic(final Schema schema, final Map<String, ?> configs, final boolean isKey) {
        final Serde<GenericRecord> serde = Serdes.serdeFrom(new AvroSerializer<>(), AvroDeserializer.generic(schema));
        serde.configure(configs, isKey);
        return serde;
    }

    /** A serde of {@code type} values (or keys), configured from Kafka client properties. */
    public static <T extends SpecificRecord> Serde<T> of(final Class<T> type, final Map<String, ?> configs,
            final boolean isKey) {
        final AvroSerde<T> serde = new AvroSerde<>(type);
        serde.configure(configs, isKey);
        return serde;
    }
}
