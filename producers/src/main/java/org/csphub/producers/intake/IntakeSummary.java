package org.csphub.producers.intake;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What became of one export: rows read, accepted and rejected (accepted + rejected = rows read), the
 * reasons grouped by code with their counts (most frequent first), and the first rejected rows with
 * every reason. A file refused whole has {@code refusal} set and no rows read.
 */
public record IntakeSummary(String feed, String source, String refusal, long rowsRead, long accepted,
        long deletes, long rejected, Map<String, Long> reasonCounts, List<RejectedRow> firstRejections) {

    public IntakeSummary {
        reasonCounts = Collections.unmodifiableMap(new LinkedHashMap<>(reasonCounts));
        firstRejections = List.copyOf(firstRejections);
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
