package org.csphub.producers.fuzzing;

import java.util.Map;
import java.util.Set;

/**
 * One request of an intake campaign: what is sent (feed in the URL, token, content type, body or a
 * declared length with no body) and what may come back.
 *
 * @param index          the request's place in the campaign
 * @param requestId      the {@code X-Request-Id} sent, so the records of the request can be found by their source
 * @param description    what was done to the export, for a failure's message
 * @param feedName       the feed named in the URL
 * @param token          the bearer token, or null to send no {@code Authorization} header
 * @param contentType    the content type, or null to send none
 * @param body           the body, empty when only a length is declared
 * @param declaredLength a {@code Content-Length} declared with no body behind it, or -1 to send the body as it is
 * @param chunked        whether the body is sent without a declared length
 * @param statuses       the answers that are right for this request
 * @param rows           the rows whose line in the file is known, by line (empty when damage hides the lines)
 */
public record IntakeInput(int index, String requestId, String description, String feedName, String token,
        String contentType, byte[] body, long declaredLength, boolean chunked, Set<Integer> statuses,
        Map<Long, SentRow> rows) {

    public IntakeInput {
        statuses = Set.copyOf(statuses);
        rows = Map.copyOf(rows);
    }

    /** A row as it was written into the export. */
    public record SentRow(String id, Map<String, String> fields, String expectedCode) {

        public SentRow {
            fields = Map.copyOf(fields);
        }
    }

    /** The same request without its body, for keeping until the campaign is checked. */
    public IntakeInput withoutBody() {
        return new IntakeInput(index, requestId, description, feedName, token, contentType, new byte[0],
                declaredLength, chunked, statuses, rows);
    }

    /** Whether a request of this kind may be accepted, so that its rows are published. */
    public boolean mayPublish() {
        return statuses.contains(200);
    }
}
