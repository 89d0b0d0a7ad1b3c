package org.csphub.producers.intake;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.csphub.serde.AvroSerializer;
import org.csphub.serde.WireFormat;

/**
 * Writes values in the Confluent wire format ahead of their send, on any thread, for a producer whose
 * value serializer is {@link #serializer()}.
 *
 * <p>The producer's serializer is the hub's {@link AvroSerializer}: it registers each topic's schema
 * the first time it writes a record of it, in the order of the sends. Only after that does this
 * encoder write records of that topic and schema, with the schema id the serializer wrote, so that
 * the registry sees the same registrations in the same order as without it. It writes the same bytes
 * as the serializer (the same datum writer over Avro's deterministic binary encoding), but through a
 * buffered encoder into a reused buffer per thread rather than one byte at a time.
 */
final class AheadEncoder {

    private final AvroSerializer<GenericRecord> serializer;
    /** The schema id the serializer wrote for each topic and schema. */
    private final Map<Subject, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

    AheadEncoder(final AvroSerializer<GenericRecord> serializer) {
        this.serializer = serializer;
    }

    /** A topic and a value schema, as the serializer registers them. */
    private record Subject(String topic, Schema schema) {
    }

    /** A value in the wire format for one topic, written ahead of its send. */
    record Encoded(String topic, byte[] bytes) {
    }

    /**
     * The producer's value serializer: a value written ahead for the same topic goes as written, a
     * record through the {@link AvroSerializer}, whose schema id for the topic is noted.
     */
    Serializer<Object> serializer() {
        return new Serializer<>() {
            @Override
            public byte[] serialize(final String topic, final Object value) {
                if (value instanceof Encoded encoded && encoded.topic().equals(topic)) {
                    return encoded.bytes();
                }
                final GenericRecord record = (GenericRecord) value;
                final byte[] bytes = serializer.serialize(topic, record);
                if (bytes != null && bytes.length >= WireFormat.HEADER_LENGTH && bytes[0] == WireFormat.MAGIC_BYTE) {
                    ids.putIfAbsent(new Subject(topic, record.getSchema()), WireFormat.schemaId(bytes, topic));
                }
                return bytes;
            }

            @Override
            public byte[] serialize(final String topic, final Headers headers, final Object value) {
                return serialize(topic, value);
            }

            @Override
            public void close() {
                serializer.close();
            }
        };
    }

    /**
     * {@code value} written for {@code topic} when the serializer has already written a record of
     * that topic and schema, else {@code value} itself (the serializer writes it when it is sent, and
     * reports any error then). Safe from several threads at once.
     */
    Object prepare(final String topic, final GenericRecord value) {
        if (value == null) {
            return null;
        }
        final Schema schema = value.getSchema();
        final Integer id = ids.get(new Subject(topic, schema));
        if (id == null) {
            return value;
        }
        try {
            return new Encoded(topic, encode(id, schema, value));
        } catch (IOException | RuntimeException e) {
            // the encoder may hold part of the record: this thread starts again with a new buffer
            buffers.remove();
            // the serializer writes it again when it is sent and fails there, as it would have
            return value;
        }
    }

    private byte[] encode(final int id, final Schema schema, final GenericRecord value) throws IOException {
        final Buffer buffer = buffers.get();
        buffer.reset();
        buffer.write(WireFormat.MAGIC_BYTE);
        buffer.write(id >>> 24);
        buffer.write(id >>> 16);
        buffer.write(id >>> 8);
        buffer.write(id);
        writers.computeIfAbsent(schema, AheadEncoder::writerFor).write(value, buffer.encoder);
        buffer.encoder.flush();
        return buffer.toByteArray();
    }

    /** The datum writer the {@link AvroSerializer} uses for {@code schema}. */
    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> writerFor(final Schema schema) {
        final SpecificData data = SpecificData.getForSchema(schema);
        final boolean specific = data.getClass(schema) != null
                && SpecificRecord.class.isAssignableFrom(data.getClass(schema));
        return specific ? new SpecificDatumWriter<>(schema, data) : new GenericDatumWriter<>(schema);
    }

    /** One thread's output: a growing byte array and the encoder over it, reused from record to record. */
    private static final class Buffer extends OutputStream {

        private static final int INITIAL_BYTES = 256;
        /** A buffer grown past this for an unusually large record is not kept for the next. */
        private static final int KEPT_BYTES = 64 * 1024;

        private byte[] bytes = new byte[INITIAL_BYTES];
        private int size;
        /** Bound to this buffer for good: binding an encoder to a stream costs allocations, writing through it none. */
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(this, null);

        void reset() {
            if (bytes.length > KEPT_BYTES) {
                bytes = new byte[INITIAL_BYTES];
            }
            size = 0;
        }

        @Override
        public void write(final int b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(final byte[] source, final int offset, final int length) {
            if (size + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
            }
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
