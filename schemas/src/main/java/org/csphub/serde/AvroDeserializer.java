package org.csphub.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format. With a target class, each record is resolved from the
 * schema it was written with (looked up once by id) to that class's schema, so records written by an
 * older or newer compatible schema read correctly; without one, records come back as generic records.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

    private final Class<? extends SpecificRecord> target;
    private final Schema readerSchema;
    private SchemaRegistry registry;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    /** A deserializer of generic records, for Kafka's reflective construction. */
    public AvroDeserializer() {
        this(null, null);
    }

    /** A deserializer of {@code target} records, configured later by {@link #configure(Map, boolean)}. */
    public AvroDeserializer(final Class<? extends SpecificRecord> target) {
        this(null, target);
    }

    public AvroDeserializer(final SchemaRegistry registry, final Class<? extends SpecificRecord> target) {
        this.registry = registry;
        this.target = target;
        this.readerSchema = target == null ? null : SpecificData.get().getSchema(target);
    }

    private AvroDeserializer(final Schema readerSchema) {
        this.registry = null;
        this.target = null;
        this.readerSchema = readerSchema;
    }

    /**
     * A deserializer of generic records read as {@code readerSchema}: a record written with an older or
     * newer compatible schema is resolved to it, as a generated class's records are to theirs.
     */
    public static AvroDeserializer<GenericRecord> generic(final Schema readerSchema) {
        return new AvroDeserializer<>(readerSchema);
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        this.registry = SerdeConfig.registry(configs);
    }

    @Override
    public T deserialize(final String topic, final byte[] payload) {
        if (payload == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("The Avro deserializer is not configured with a schema registry");
        }
        final String where = "topic '" + topic + "'";
        final int id = WireFormat.schemaId(payload, where);
        final DatumReader<T> reader;
        try {
            reader = readers.computeIfAbsent(id, this::readerFor);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot read a record of " + where + " written with schema id " + id
                    + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new SerializationException("Cannot read a record of " + where + ": schema id " + id
                    + " cannot be read as " + readerSchema.getFullName() + ": " + e.getMessage(), e);
        }
        try {
            final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(payload, WireFormat.HEADER_LENGTH,
                    payload.length - WireFormat.HEADER_LENGTH, decoders.get());
            decoders.set(decoder);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read a record of " + where + " written with schema id " + id
                    + ": the Avro body (" + (payload.length - WireFormat.HEADER_LENGTH) + " bytes) is not valid: "
                    + e, e);
        }
    }

    private DatumReader<T> readerFor(final int id) {
        final Schema writer = registry.schemaById(id);
        if (readerSchema == null) {
            return new GenericDatumReader<>(writer);
        }
        final SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new IllegalArgumentException(compatibility.getDescription());
        }
        if (target == null) {
            return new GenericDatumReader<>(writer, readerSchema);
        }
        return new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForSchema(readerSchema));
    }
}
