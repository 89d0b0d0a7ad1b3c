package org.csphub.producers.intake;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What became of one export: rows read, accepted and rejected (accepted + rejected = rows read), the
 * reasons grouped by code with their counts (most frequent first), and the first rejected rows with
 * every reason. A file refused whole has {@code refusal} set and no rows read.
 *
 * <p>{@code notStored} counts the rows, accepted or rejected, whose record Kafka did not take, and
 * {@code notStoredRows} says which, by line, with why; both are empty when every row was stored.
 */
public record IntakeSummary(String feed, String source, String refusal, long rowsRead, long accepted,
        long deletes, long rejected, Map<String, Long> reasonCounts, List<RejectedRow> firstRejections,
        long notStored, List<NotStored> notStoredRows) {

    public IntakeSummary {
        reasonCounts = Collections.unmodifiableMap(new LinkedHashMap<>(reasonCounts));
        firstRejections = List.copyOf(firstRejections);
        notStoredRows = List.copyOf(notStoredRows);
    }

    /** A summary of an export whose every row was stored. */
    public IntakeSummary(final String feed, final String source, final String refusal, final long rowsRead,
            final long accepted, final long deletes, final long rejected, final Map<String, Long> reasonCounts,
            final List<RejectedRow> firstRejections) {
        this(feed, source, refusal, rowsRead, accepted, deletes, rejected, reasonCounts, firstRejections, 0,
                List.of());
    }

    /**
     * Rows Kafka did not take, for one reason: {@code lines} as {@code 17} or {@code 20-31}, or
     * {@code 40-} for every row from line 40 to the end of the file, which was not sent.
     */
    public record NotStored(String lines, String reason, boolean retriable) {
    }

    /** The rows stored: every row read, less those Kafka did not take. */
    public long stored() {
        return rowsRead - notStored;
    }

    /** This summary with the rows Kafka did not take. */
    IntakeSummary withNotStored(final long count, final List<NotStored> rows) {
        return new IntakeSummary(feed, source, refusal, rowsRead, accepted, deletes, rejected, reasonCounts,
                firstRejections, count, rows);
    }

    /** One rejected row as the data officer sees it. */
    public record RejectedRow(long line, String rawText, List<Reason> reasons) {

        public RejectedRow {
            reasons = List.copyOf(reasons);
        }
    }

    /** One reason against a row. */
    public record Reason(String column, Integer columnNumber, String code, String message) {
    }

    public boolean refused() {
        return refusal != null;
    }

    static IntakeSummary refusedWhole(final String feed, final String source, final String refusal) {
        return new IntakeSummary(feed, source, refusal, 0, 0, 0, 0, Map.of(), List.of());
    }
}
