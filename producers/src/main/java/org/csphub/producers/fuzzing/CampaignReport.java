package org.csphub.producers.fuzzing;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a campaign found: the answers by status, the slowest and the median answer, the rows accepted
 * and rejected as answered, the rows lost and duplicated on the topics, and for each invariant the
 * requests that broke it (up to {@link #EXAMPLES} described, all counted).
 */
public record CampaignReport(int requests, SortedMap<Integer, Long> statuses, long slowestMillis, String slowest,
        long medianMillis, long rowsAccepted, long rowsRejected, long rowsLost, long rowsDuplicated, long recordsRead,
        Map<Invariant, Breaches> breaches) {

    /** How many breaches of one invariant are described; the rest are only counted. */
    public static final int EXAMPLES = 25;

    public CampaignReport {
        statuses = Collections.unmodifiableSortedMap(new TreeMap<>(statuses));
        breaches = Collections.unmodifiableMap(new EnumMap<>(breaches));
    }

    /** What the intake must hold to, whatever it is sent. */
    public enum Invariant {
        /** No 5xx: bad input is the partner's fault, answered as such. */
        NO_SERVER_ERROR,
        /** Every request is answered before the client's deadline. */
        ANSWERED_IN_TIME,
        /** The status is one that is right for the request (a refusal where one is due, else 200 or 422). */
        RIGHT_STATUS,
        /** A refused request (401, 403, 404, 413, 415, 422) publishes nothing. */
        NOTHING_FROM_REFUSED,
        /** Every accepted row is on its raw topic once, under its id, with the values sent. */
        ACCEPTED_AS_SENT,
        /** Every rejected row is on its dead-letter topic once, with the reasons and text answered. */
        REJECTED_WITH_REASONS,
        /** No line of a request has more than one record, on either topic. */
        ONE_RECORD_PER_ROW,
        /** The answer's counts add up: accepted + rejected = rows read. */
        COUNTS_ADD_UP,
        /** No record is larger than the producer's request size limit. */
        RECORDS_WITHIN_LIMIT
    }

    /** The breaches of one invariant: how many, and the first ones described. */
    public record Breaches(long count, List<String> examples) {

        public Breaches {
            examples = List.copyOf(examples);
        }
    }

    /** The breaches of {@code invariant}, none when it held. */
    public Breaches of(final Invariant invariant) {
        return breaches.getOrDefault(invariant, new Breaches(0, List.of()));
    }

    /** The described breaches of {@code invariant}: empty when it held. */
    public List<String> examplesOf(final Invariant invariant) {
        return of(invariant).examples();
    }

    public void print(final PrintWriter out) {
        out.printf("requests:            %,d%n", requests);
        out.printf("answers by status:   %s%n", statusText());
        out.printf("slowest answer:      %,d ms (%s)%n", slowestMillis, slowest);
        out.printf("median answer:       %,d ms%n", medianMillis);
        out.printf("rows accepted:       %,d%n", rowsAccepted);
        out.printf("rows rejected:       %,d%n", rowsRejected);
        out.printf("rows lost:           %,d%n", rowsLost);
        out.printf("rows duplicated:     %,d%n", rowsDuplicated);
        out.printf("records read back:   %,d%n", recordsRead);
        for (final Invariant invariant : Invariant.values()) {
            final Breaches found = of(invariant);
            out.printf("%-22s %s%n", invariant.name().toLowerCase(Locale.ROOT) + ":", found.count() == 0
                    ? "held" : found.count() + " breach(es)");
            found.examples().stream().limit(5).forEach(example -> out.printf("    %s%n", example));
        }
        out.flush();
    }

    private String statusText() {
        final StringBuilder text = new StringBuilder();
        statuses.forEach((status, count) -> text.append(text.isEmpty() ? "" : ", ").append(switch (status) {
            case IntakeCampaign.NO_ANSWER_IN_TIME -> "no answer in time";
            case IntakeCampaign.CONNECTION_FAILED -> "connection failed";
            default -> String.valueOf(status);
        }).append(": ").append(String.format("%,d", count)));
        return text.toString();
    }
}
