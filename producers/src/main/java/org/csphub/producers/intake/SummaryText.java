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
        out.flush();
    }
}
