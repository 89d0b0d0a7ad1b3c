package org.csphub.producers.feeds;

import java.time.Instant;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.csphub.producers.validation.ExportContract;
import org.csphub.producers.validation.RowFields;
import org.csphub.topics.Feed;

/**
 * One partner feed's adapter: its export contract, and how a row of it becomes the feed's Avro record.
 * The id and the {@code action} column are handled by the intake; the adapter checks every other field
 * and records every problem on the row.
 */
public interface FeedAdapter {

    Feed feed();

    ExportContract contract();

    /**
     * The record of an upserted row, or empty when the row has problems (they are in {@code row.problems()}).
     *
     * @param id the row's id, already checked
     * @param receivedAt when the intake accepted the row
     * @param source the file and line, or the request id and line
     */
    Optional<GenericRecord> toRecord(String id, RowFields row, Instant receivedAt, String source);
}
