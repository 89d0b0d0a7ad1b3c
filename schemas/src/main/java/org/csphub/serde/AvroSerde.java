package org.csphub.serde;

import java.util.Map;
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

    /** A serde of {@code type} values (or keys), configured from Kafka client properties. */
    public static <T extends SpecificRecord> Serde<T> of(final Class<T> type, final Map<String, ?> configs,
            final boolean isKey) {
        final AvroSerde<T> serde = new AvroSerde<>(type);
        serde.configure(configs, isKey);
        return serde;
    }
}
