package org.csphub.streams.series;

import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The current records of one person (a pseudonymised reference), by record id with their dates: the
 * state a record's repeat flag is computed from. A few entries per person, so the state stays small.
 */
public final class PersonRecords {

    private final TreeMap<String, LocalDate> records;

    public PersonRecords(final Map<String, LocalDate> records) {
        this.records = new TreeMap<>(records);
    }

    public static PersonRecords empty() {
        return new PersonRecords(Map.of());
    }

    public Map<String, LocalDate> records() {
        return records;
    }

    /** Adds a record (changes and returns this). */
    public PersonRecords with(final String id, final LocalDate date) {
        records.put(id, date);
        return this;
    }

    /** Removes a record (changes and returns this). */
    public PersonRecords without(final String id) {
        records.remove(id);
        return this;
    }

    /**
     * Whether the record {@code id} of {@code date} is a repeat: the person had another record in the
     * {@code withinMonths} months before it, that is on a date from {@code date} minus that many months
     * up to {@code date}. Of two records on the same day the one with the smaller id comes first, so
     * that exactly one of them is the repeat.
     */
    public boolean isRepeat(final String id, final LocalDate date, final int withinMonths) {
        final LocalDate from = date.minusMonths(withinMonths);
        return records.entrySet().stream().anyMatch(other -> !other.getKey().equals(id)
                && !other.getValue().isBefore(from)
                && (other.getValue().isBefore(date) || other.getValue().equals(date)
                        && other.getKey().compareTo(id) < 0));
    }

    public static Serde<PersonRecords> serde() {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : SeriesSerdes.write(out -> {
            out.writeInt(value.records.size());
            for (final Map.Entry<String, LocalDate> entry : value.records.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeLong(entry.getValue().toEpochDay());
            }
        }), (topic, bytes) -> bytes == null ? null : SeriesSerdes.read(bytes, in -> {
            final int size = in.readInt();
            final Map<String, LocalDate> records = new TreeMap<>();
            for (int i = 0; i < size; i++) {
                records.put(in.readUTF(), LocalDate.ofEpochDay(in.readLong()));
            }
            return new PersonRecords(records);
        }));
    }
}
