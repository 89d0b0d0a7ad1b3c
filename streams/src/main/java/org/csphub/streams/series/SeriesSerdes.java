package org.csphub.streams.series;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Compact binary serdes of the topologies' internal values (repartition and changelog topics only;
 * the topics other stages read carry Avro). The first byte is a format version so that a changed
 * layout is detected rather than misread.
 */
public final class SeriesSerdes {

    private static final byte VERSION = 1;

    private SeriesSerdes() {
    }

    public static Serde<Contribution> contribution() {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : write(out -> {
            writeMonth(out, value.month());
            writeNullable(out, value.wardCode());
            writeNullable(out, value.wardName());
            // no district code is empty: an empty one stands for a record without an area
            out.writeUTF(value.districtCode() == null ? "" : value.districtCode());
            writeNullable(out, value.districtName());
            out.writeShort(value.dimensions().size());
            for (final Map.Entry<String, String> entry : value.dimensions().entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeUTF(entry.getValue());
            }
            writeCounters(out, value.counters());
        }), (topic, bytes) -> bytes == null ? null : read(bytes, in -> {
            final YearMonth month = readMonth(in);
            final String wardCode = readNullable(in);
            final String wardName = readNullable(in);
            final String district = in.readUTF();
            final String districtCode = district.isEmpty() ? null : district;
            final String districtName = readNullable(in);
            final int dimensions = in.readShort();
            final Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < dimensions; i++) {
                values.put(in.readUTF(), in.readUTF());
            }
            return new Contribution(month, wardCode, wardName, districtCode, districtName, values, readCounters(in));
        }));
    }

    public static Serde<Series> series() {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : write(seriesSize(value), out -> {
            out.writeByte(value.kind().ordinal());
            out.writeUTF(value.areaName());
            out.writeUTF(value.parentCode());
            out.writeInt(value.months().size());
            for (final Map.Entry<YearMonth, long[]> entry : value.months().entrySet()) {
                writeMonth(out, entry.getKey());
                writeCounters(out, entry.getValue());
            }
        }), (topic, bytes) -> bytes == null ? null : read(bytes, in -> {
            final Series.Kind kind = Series.Kind.values()[in.readByte()];
            final String name = in.readUTF();
            final String parent = in.readUTF();
            final int size = in.readInt();
            final Map<YearMonth, long[]> months = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                months.put(readMonth(in), readCounters(in));
            }
            return new Series(kind, name, parent, months);
        }));
    }

    /** Writes one value; used by other internal serdes of the topologies. */
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads one value; used by other internal serdes of the topologies. */
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    public static byte[] write(final Writer writer) {
        return write(64, writer);
    }

    /** Writes one value into a buffer of {@code size} bytes to begin with (it grows if need be). */
    public static byte[] write(final int size, final Writer writer) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static <T> T read(final byte[] bytes, final Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            final byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("Unknown internal format version " + version);
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new SerializationException("Cannot read an internal value", e);
        }
    }

    /** The encoded size of a series (names counted as one byte a character, so a close guess). */
    private static int seriesSize(final Series series) {
        int size = 2 + 2 + series.areaName().length() + 2 + series.parentCode().length() + 4;
        for (final long[] counters : series.months().values()) {
            size += 3 + 1 + 8 * counters.length;
        }
        return size;
    }

    private static void writeMonth(final DataOutputStream out, final YearMonth month) throws IOException {
        out.writeShort(month.getYear());
        out.writeByte(month.getMonthValue());
    }

    private static YearMonth readMonth(final DataInputStream in) throws IOException {
        final int year = in.readShort();
        return YearMonth.of(year, in.readByte());
    }

    private static void writeCounters(final DataOutputStream out, final long[] counters) throws IOException {
        out.writeByte(counters.length);
        for (final long counter : counters) {
            out.writeLong(counter);
        }
    }

    private static long[] readCounters(final DataInputStream in) throws IOException {
        final long[] counters = new long[in.readByte()];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = in.readLong();
        }
        return counters;
    }

    static void writeNullable(final DataOutputStream out, final String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    static String readNullable(final DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
