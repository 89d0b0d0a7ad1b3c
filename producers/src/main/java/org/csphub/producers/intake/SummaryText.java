package org.csphub.producers.intake;

import java.io.PrintWriter;
import java.util.Map;

/** An intake summary as the command line prints it for a data officer. */
public final class SummaryText {

    private SummaryText() {
    }

    public static void print(final IntakeSummary summary, final PrintWriter out) {
        if (summary.refused()) {
            out.printf("%s (%s): REFUSED, nothing published.%n  %s%n", summary.source(), summary.feed(),
                    summary.refusal());
            return;
        }
        out.printf("%s (%s): %d rows read, %d accepted (%d retractions), %d rejected%n", summary.source(),
                summary.feed(), summary.rowsRead(), summary.accepted(), summary.deletes(), summary.rejected());
        if (!summary.reasonCounts().isEmpty()) {
            out.println("  Reasons:");
            for (final Map.Entry<String, Long> entry : summary.reasonCounts().entrySet()) {
                out.printf("    %-18s %d%n", entry.getKey(), entry.getValue());
            }
            out.printf("  First rejected rows:%n");
            for (final IntakeSummary.RejectedRow row : summary.firstRejections()) {
                out.printf("    line %d: %s%n", row.line(), row.rawText());
                row.reasons().forEach(reason -> out.printf("      %s %s%n", reason.code(), reason.message()));
            }
        }
        printNotStored(summary, out);
        out.flush();
    }

    private static void printNotStored(final IntakeSummary summary, final PrintWriter out) {
        if (summary.notStoredRows().isEmpty()) {
            return;
        }
        out.printf("  NOT STORED: Kafka did not take %d row(s); the other %d are stored. Sending the file again is"
                + " safe (a row sent again replaces itself).%n", summary.notStored(), summary.stored());
        for (final IntakeSummary.NotStored rows : summary.notStoredRows()) {
            out.printf("    line %s: %s%n", rows.lines().endsWith("-") ? rows.lines() + "end" : rows.lines(),
                    rows.reason());
        }
    }
}
