package org.csphub.hub.operations;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.csphub.topics.Feed;

/** Reads the two times of a raw record: its event time (a feed's own field) and {@code received_at}. */
final class RawRecordTimes {

    static final String RECEIVED_AT = "received_at";
    // partner dates without a time are local dates in the partnership's zone
    private static final ZoneId PARTNER_ZONE = ZoneId.of("Europe/London");

    private RawRecordTimes() {
    }

    /** The field holding when the event happened: the column whose month the feed's family counts a record in. */
    static String eventField(final Feed feed) {
        return feed.contract().family().period();
    }

    static Optional<Instant> eventTime(final Feed feed, final IndexedRecord record) {
        return instantOf(record, eventField(feed));
    }

    static Optional<Instant> receivedAt(final IndexedRecord record) {
        return instantOf(record, RECEIVED_AT);
    }

    private static Optional<Instant> instantOf(final IndexedRecord record, final String field) {
        final Schema.Field schemaField = record.getSchema().getField(field);
        if (schemaField == null) {
            return Optional.empty();
        }
        final Object value = record.get(schemaField.pos());
        if (value instanceof Instant instant) {
            return Optional.of(instant);
        }
        if (value instanceof LocalDate date) {
            return Optional.of(date.atStartOfDay(PARTNER_ZONE).toInstant());
        }
        if (value instanceof Long millis) {
            return Optional.of(Instant.ofEpochMilli(millis));
        }
        if (value instanceof Integer days) {
            return Optional.of(LocalDate.ofEpochDay(days).atStartOfDay(PARTNER_ZONE).toInstant());
        }
        return Optional.empty();
    }
}
