package org.csphub.sinks.report;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.csphub.disclosure.DisclosurePolicy;
import org.csphub.disclosure.MetricCell;
import org.csphub.metrics.AreaMetric;

/** What one figure showed, for its data note: when its data last changed and how many values were withheld. */
final class FigureNote {

    private Instant lastUpdated;
    private int withheld;
    private final Set<MetricCell> seen = new HashSet<>();

    void use(final AreaMetric metric) {
        if (!seen.add(MetricCell.of(metric))) {
            return;
        }
        if (metric.getSuppressed()) {
            withheld++;
        }
        if (metric.getUpdatedAt() != null && (lastUpdated == null || metric.getUpdatedAt().isAfter(lastUpdated))) {
            lastUpdated = metric.getUpdatedAt();
        }
    }

    /**
     * The note: the source, the months covered, the latest update and what disclosure control withheld;
     * {@code policy} is null on the partners' view, where it is not applied.
     */
    String html(final String source, final String period, final DisclosurePolicy policy) {
        final String updated = lastUpdated == null ? "no data received" : Words.UPDATED.format(lastUpdated);
        final String suppression = policy == null ? "not applied (partners' view, full figures)"
                : escapeHtml4(policy.describe()) + "; " + (withheld == 0 ? "no value withheld"
                        : withheld + (withheld == 1 ? " value" : " values") + " withheld, shown as "
                                + escapeHtml4(policy.withheldLabel()));
        return "<p class=\"note\"><strong>Data note.</strong> Source: " + escapeHtml4(source) + ". Period covered: "
                + period + ". Last updated: " + updated + ". Disclosure control: " + suppression + ".</p>";
    }
}
