package org.csphub.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format, registering each record's schema under the
 * topic's subject ({@code <topic>-key} or {@code <topic>-value}) the first time it is seen. A
 * {@code null} record (a tombstone) stays {@code null}.
 */
public final class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

    private SchemaRegistry registry;
    private boolean isKey;
    private boolean autoRegister = true;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

    /** For Kafka's reflective construction; {@link #configure(Map, boolean)} must follow. */
    public AvroSerializer() {
    }

    public AvroSerializer(final SchemaRegistry registry, final boolean isKey) {
        this.registry = registry;
        this.isKey = isKey;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean key) {
        this.registry = SerdeConfig.registry(configs);
        this.isKey = key;
        this.autoRegister = SerdeConfig.autoRegister(configs);
    }

    @Override
    public byte[] serialize(final String topic, final T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("The Avro serializer is not configured with a schema registry");
        }
        final Schema schema = record.getSchema();
        final String subject = isKey ? topic + "-key" : topic + "-value";
        final int id = idsBySubject.computeIfAbsent(subject, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, key -> autoRegister ? registry.register(subject, key)
                        : registry.idOf(subject, key));
        final Buffers buffer = buffers.get();
        buffer.out.reset();
        buffer.out.write(WireFormat.MAGIC_BYTE);
        buffer.out.write(id >>> 24);
        buffer.out.write(id >>> 16);
        buffer.out.write(id >>> 8);
        buffer.out.write(id);
        try {
            buffer.encoder = EncoderFactory.get().directBinaryEncoder(buffer.out, buffer.encoder);
            writers.computeIfAbsent(schema, AvroSerializer::writerFor).write(record, buffer.encoder);
            buffer.encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write a " + schema.getFullName() + " to topic '" + topic
                    + "' (schema id " + id + "): " + e.getMessage(), e);
        }
        return buffer.out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> writerFor(final Schema schema) {
        final SpecificData data = SpecificData.getForSchema(schema);
        final boolean specific = data.getClass(schema) != null
                && SpecificRecord.class.isAssignableFrom(data.getClass(schema));
        return specific ? new SpecificDatumWriter<>(schema, data) : new GenericDatumWriter<>(schema);
    }

    /** Per-thread output buffer and encoder, reused from record to record. */
    private static final class Buffers {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder;
    }
}
