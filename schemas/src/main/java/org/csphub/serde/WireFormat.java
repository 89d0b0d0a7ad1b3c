package org.csphub.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: a magic byte 0, the schema id as a four-byte big-endian integer, then
 * the Avro binary encoding of the record.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {
    }

    /** The schema id of a payload, after checking its header; {@code where} names the topic for errors. */
    public static int schemaId(final byte[] payload, final String where) {
        if (payload.length < HEADER_LENGTH) {
            throw new SerializationException("Cannot read a record of " + where + ": " + payload.length
                    + " bytes is shorter than the Confluent wire format's 5-byte header (magic byte 0 and a "
                    + "4-byte schema id)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException("Cannot read a record of " + where + ": the first byte is 0x"
                    + String.format("%02x", payload[0] & 0xff) + ", not the Confluent wire format's magic byte 0x00"
                    + describe(payload) + ". Was it written by a serializer of another format?");
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }

    static void writeHeader(final ByteBuffer buffer, final int schemaId) {
        buffer.put(MAGIC_BYTE).putInt(schemaId);
    }

    private static String describe(final byte[] payload) {
        final byte first = payload[0];
        if (first == '{' || first == '[') {
            return " (the payload looks like JSON)";
        }
        if (first >= 0x20 && first < 0x7f) {
            return " (the payload looks like text)";
        }
        return "";
    }
}
