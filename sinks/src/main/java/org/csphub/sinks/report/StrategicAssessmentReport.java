package org.csphub.sinks.report;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csphub.access.Audience;
import org.csphub.contracts.FeedContract;
import org.csphub.contracts.ReportSpec;
import org.csphub.contracts.ShippedContracts;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.disclosure.Periods;
import org.csphub.geography.District;
import org.csphub.geography.Geography;
import org.csphub.metrics.AreaMetric;

/**
 * The partnership's Strategic Assessment for one financial year as one self-contained HTML page: styles
 * inline, charts as inline SVG, nothing fetched from anywhere. Its sections are the {@code report}
 * blocks of the feed contracts it is given, in the contracts' order (a feed without one has no
 * section). It shows the view of one {@link Audience}, and says which: the public view (the default,
 * since the assessment is published), where every value has been through disclosure control, or the
 * partners' view with the full figures, for the partners under the data-sharing agreement only.
 */
public final class StrategicAssessmentReport {

    /** What to render: the financial year ({@code 2020/21}), the district the city figures are for, and when. */
    public record Options(String financialYear, String cityDistrictCode, Instant generatedAt) {
    }

    private final DisclosureControl disclosure;
    private final Geography geography;
    private final List<FeedContract> contracts;
    private final Audience audience;

    /** The report of the feeds the hub ships. */
    public StrategicAssessmentReport(final DisclosureControl disclosure, final Geography geography) {
        this(disclosure, geography, ShippedContracts.all());
    }

    /** The public report of {@code contracts}: a section for each {@code report} block, in their order. */
    public StrategicAssessmentReport(final DisclosureControl disclosure, final Geography geography,
            final List<FeedContract> contracts) {
        this(disclosure, geography, contracts, Audience.PUBLIC);
    }

    /** The report of {@code contracts} in {@code audience}'s view. */
    public StrategicAssessmentReport(final DisclosureControl disclosure, final Geography geography,
            final List<FeedContract> contracts, final Audience audience) {
        this.disclosure = disclosure;
        this.geography = geography;
        this.contracts = List.copyOf(contracts);
        this.audience = audience;
    }

    /**
     * The sections, in the order the contracts first name them. Feeds naming the same section share it;
     * its heading is the first title given, else the first feed's title.
     */
    private List<FamilySection> sections() {
        final Map<String, FamilySection> sections = new LinkedHashMap<>();
        final Map<String, List<FamilySection.Part>> parts = new LinkedHashMap<>();
        final Map<String, String> titles = new LinkedHashMap<>();
        final Map<String, String> figures = new LinkedHashMap<>();
        for (final FeedContract contract : contracts) {
            for (final ReportSpec spec : contract.report()) {
                for (final ReportSpec.Figure figure : spec.figures()) {
                    final String earlier = figures.putIfAbsent(figure.id(), contract.slug());
                    if (earlier != null) {
                        throw new IllegalArgumentException("Figure id '" + figure.id() + "' is in the report blocks "
                                + "of both " + earlier + " and " + contract.slug() + "; give one of them an id of "
                                + "its own");
                    }
                }
                parts.computeIfAbsent(spec.section(), id -> new ArrayList<>())
                        .add(new FamilySection.Part(contract, spec));
                spec.title().ifPresent(title -> titles.putIfAbsent(spec.section(), title));
            }
        }
        parts.forEach((id, list) -> {
            final FamilySection section = new FamilySection(id, titles.getOrDefault(id,
                    list.get(0).contract().title()));
            list.forEach(section::add);
            sections.put(id, section);
        });
        return List.copyOf(sections.values());
    }

    /**
     * The report over the operator's (unsuppressed) metrics; for the public, disclosure control is applied
     * here.
     */
    public String render(final Collection<AreaMetric> metrics, final Options options) {
        final int year = Periods.financialYearStart(options.financialYear()).orElseThrow(() ->
                new IllegalArgumentException("The period '" + options.financialYear()
                        + "' is not a financial year such as 2020/21"));
        final District city = geography.district(options.cityDistrictCode()).orElseThrow(() ->
                new IllegalArgumentException("Unknown district " + options.cityDistrictCode()));
        final boolean full = audience.seesFullFigures();
        final ReportPage page = new ReportPage(full ? List.copyOf(metrics) : disclosure.apply(metrics), year, city,
                geography, disclosure, full);
        final List<FamilySection> sections = sections();
        final StringBuilder html = new StringBuilder(256 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // an empty icon, so that browsers do not ask the server for /favicon.ico
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<title>Strategic Assessment ").append(page.fy).append(" – ")
                .append(escapeHtml4(geography.cspName())).append(full ? " – partners' view" : "")
                .append("</title>\n<style>").append(STYLE)
                .append("</style>\n</head>\n<body>\n<main>\n");
        html.append("<h1>Strategic Assessment ").append(page.fy).append("<span class=\"subtitle\">")
                .append(escapeHtml4(geography.cspName())).append(" Community Safety Partnership</span></h1>\n");
        html.append("<p class=\"lead\">Figures for the financial year April ").append(year).append(" to March ")
                .append(year + 1).append(", from the partner agencies' feeds as held by the hub on ")
                .append(Words.UPDATED.format(options.generatedAt())).append(".</p>\n");
        if (full) {
            html.append("<p class=\"view\" id=\"view\"><strong>Partners' view: not for publication.</strong> "
                    + "Every figure is shown in full, before disclosure control, for the partners under the "
                    + "data-sharing agreement. Small counts are not withheld. Publish the public view "
                    + "instead (<code>hub report --audience public</code>).</p>\n");
        } else {
            html.append("<p class=\"view\" id=\"view\"><strong>Public view.</strong> Each source's figures are "
                    + "shown as that source publishes them, which each section's data notes state; where a small "
                    + "count is withheld, further values are withheld where they would reveal it.</p>\n");
        }
        html.append("<nav aria-label=\"Contents\"><h2>Contents</h2><ol>");
        for (final FamilySection section : sections) {
            html.append("<li><a href=\"#").append(section.id()).append("\">").append(escapeHtml4(section.title()))
                    .append("</a></li>");
        }
        html.append("</ol></nav>\n");
        for (final FamilySection section : sections) {
            section.render(html, page);
        }
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    private static final String STYLE = """
            :root { color-scheme: light; }
            body { font-family: "Helvetica Neue", Arial, sans-serif; color: #0b0c0c; margin: 0; line-height: 1.45; }
            main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
            h1 { font-size: 2rem; margin: 0 0 1rem; }
            h1 .subtitle { display: block; font-size: 1.1rem; font-weight: normal; color: #505a5f; }
            h2 { font-size: 1.5rem; margin-top: 2.5rem; border-bottom: 2px solid #1d70b8; padding-bottom: .25rem; }
            h3 { font-size: 1.1rem; }
            .lead { font-size: 1.1rem; }
            .view { border: 2px solid #1d70b8; padding: .5rem .75rem; }
            nav ol { padding-left: 1.25rem; }
            a { color: #1d70b8; }
            figure, .figure { margin: 1.5rem 0; }
            svg.chart { width: 100%; height: auto; max-width: 720px; display: block; }
            table.data { border-collapse: collapse; width: 100%; font-size: .9rem; }
            table.data caption { text-align: left; font-weight: bold; margin-bottom: .5rem; }
            table.data th, table.data td { border-bottom: 1px solid #b1b4b6; padding: .35rem .5rem; text-align: right; }
            table.data th[scope=row], table.data thead th:first-child { text-align: left; }
            table.data tr.total th, table.data tr.total td { font-weight: bold; border-top: 2px solid #0b0c0c; }
            .change { display: block; font-size: .75rem; color: #505a5f; }
            .note { font-size: .85rem; color: #505a5f; border-left: 4px solid #b1b4b6; padding-left: .75rem; }
            .visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
              overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
            @page { size: A4; margin: 18mm 15mm; }
            @media print {
              body { font-size: 10.5pt; }
              main { max-width: none; padding: 0; }
              nav { display: none; }
              h2 { break-after: avoid; page-break-after: avoid; }
              h3 { break-after: avoid; page-break-after: avoid; }
              figure, .figure, table.data, tr { break-inside: avoid; page-break-inside: avoid; }
              section { break-before: auto; }
              #idva, #fire { break-before: page; page-break-before: always; }
              svg.chart { max-width: 100%; }
              a { color: inherit; text-decoration: none; }
            }
            """;
}
