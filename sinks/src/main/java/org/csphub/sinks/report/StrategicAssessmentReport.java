package org.csphub.sinks.report;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.disclosure.MetricCell;
import org.csphub.disclosure.Periods;
import org.csphub.geography.District;
import org.csphub.geography.Geography;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;

/**
 * The partnership's Strategic Assessment for one financial year as one self-contained HTML page: styles
 * inline, charts as inline SVG, nothing fetched from anywhere. Every value shown has been through
 * disclosure control.
 */
public final class StrategicAssessmentReport {

    private static final Locale UK = Locale.UK;
    private static final DateTimeFormatter UPDATED = DateTimeFormatter.ofPattern("d MMMM yyyy HH:mm 'UTC'", UK)
            .withZone(ZoneOffset.UTC);
    private static final List<String> CAUSES = List.of("DELIBERATE", "ACCIDENTAL", "NOT_KNOWN");
    private static final Map<String, String> STRANDS = strands();

    /** What to render: the financial year ({@code 2020/21}), the district the city figures are for, and when. */
    public record Options(String financialYear, String cityDistrictCode, Instant generatedAt) {
    }

    private final DisclosureControl disclosure;
    private final Geography geography;

    public StrategicAssessmentReport(final DisclosureControl disclosure, final Geography geography) {
        this.disclosure = disclosure;
        this.geography = geography;
    }

    private static Map<String, String> strands() {
        final Map<String, String> strands = new LinkedHashMap<>();
        strands.put("A8", "A8 nationals (partnership-wide)");
        strands.put("YOUNG_PEOPLE", "Young people (partnership-wide)");
        strands.put("HEALTH", "Health (partnership-wide)");
        strands.put("DA_STALKING", "Stalking (partnership-wide)");
        return strands;
    }

    /** The report over the operator's (unsuppressed) metrics; disclosure control is applied here. */
    public String render(final Collection<AreaMetric> metrics, final Options options) {
        final int year = Periods.financialYearStart(options.financialYear()).orElseThrow(() ->
                new IllegalArgumentException("The period '" + options.financialYear()
                        + "' is not a financial year such as 2020/21"));
        final District city = geography.district(options.cityDistrictCode()).orElseThrow(() ->
                new IllegalArgumentException("Unknown district " + options.cityDistrictCode()));
        final Page page = new Page(disclosure.apply(metrics), year, city);
        final StringBuilder html = new StringBuilder(256 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // an empty icon, so that browsers do not ask the server for /favicon.ico
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<title>Strategic Assessment ").append(page.fy).append(" – ")
                .append(escapeHtml4(geography.cspName())).append("</title>\n<style>").append(STYLE)
                .append("</style>\n</head>\n<body>\n<main>\n");
        html.append("<h1>Strategic Assessment ").append(page.fy).append("<span class=\"subtitle\">")
                .append(escapeHtml4(geography.cspName())).append(" Community Safety Partnership</span></h1>\n");
        html.append("<p class=\"lead\">Figures for the financial year April ").append(year).append(" to March ")
                .append(year + 1).append(", from the partner agencies' feeds as held by the hub on ")
                .append(UPDATED.format(options.generatedAt())).append(". Counts from 1 to ")
                .append(disclosure.threshold() - 1).append(" are shown as ")
                .append(escapeHtml4(disclosure.withheldLabel()))
                .append(", and further values are withheld where they would reveal one.</p>\n");
        html.append("<nav aria-label=\"Contents\"><h2>Contents</h2><ol>")
                .append("<li><a href=\"#asb\">Anti-social behaviour</a></li>")
                .append("<li><a href=\"#wards\">Wards: anti-social behaviour and assault-related ambulance callouts"
                        + "</a></li>")
                .append("<li><a href=\"#idva\">Domestic abuse: IDVA referrals</a></li>")
                .append("<li><a href=\"#fire\">Fires</a></li></ol></nav>\n");
        asbByMonth(html, page);
        wards(html, page);
        idva(html, page);
        fires(html, page);
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    /** The published metrics of one report, looked up by cell. */
    private final class Page {
        final Map<MetricCell, AreaMetric> byCell = new LinkedHashMap<>();
        final int year;
        final String fy;
        final String fyBefore;
        final District city;
        final List<AreaMetric> published;

        Page(final List<AreaMetric> published, final int year, final District city) {
            this.published = published;
            published.forEach(metric -> byCell.put(MetricCell.of(metric), metric));
            this.year = year;
            this.fy = Periods.financialYear(year);
            this.fyBefore = Periods.financialYear(year - 1);
            this.city = city;
        }

        Optional<AreaMetric> find(final String metric, final String dimension, final String value,
                final AreaType areaType, final String code, final PeriodType periodType, final String period,
                final Figure figure) {
            final Optional<AreaMetric> found = Optional.ofNullable(byCell.get(new MetricCell(metric, dimension, value,
                    areaType, code, periodType, period)));
            found.ifPresent(figure::use);
            return found;
        }
    }

    /** What one figure showed, for its data note. */
    private static final class Figure {
        Instant lastUpdated;
        int withheld;
        final List<MetricCell> seen = new ArrayList<>();

        void use(final AreaMetric metric) {
            final MetricCell cell = MetricCell.of(metric);
            if (seen.contains(cell)) {
                return;
            }
            seen.add(cell);
            if (metric.getSuppressed()) {
                withheld++;
            }
            if (metric.getUpdatedAt() != null && (lastUpdated == null || metric.getUpdatedAt().isAfter(lastUpdated))) {
                lastUpdated = metric.getUpdatedAt();
            }
        }
    }

    private void asbByMonth(final StringBuilder html, final Page page) {
        final Figure figure = new Figure();
        final List<String> months = new ArrayList<>();
        final List<Double> now = new ArrayList<>();
        final List<Double> before = new ArrayList<>();
        final StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            final YearMonth month = YearMonth.of(page.year, 4).plusMonths(i);
            final YearMonth earlier = month.minusYears(1);
            months.add(month.getMonth().getDisplayName(TextStyle.SHORT, UK));
            final Optional<AreaMetric> current = page.find("asb.incidents", null, null, AreaType.DISTRICT,
                    page.city.code(), PeriodType.MONTH, month.toString(), figure);
            final Optional<AreaMetric> previous = page.find("asb.incidents", null, null, AreaType.DISTRICT,
                    page.city.code(), PeriodType.MONTH, earlier.toString(), figure);
            now.add(current.map(AreaMetric::getValue).orElse(null));
            before.add(previous.map(AreaMetric::getValue).orElse(null));
            rows.append("<tr><th scope=\"row\">").append(month.getMonth().getDisplayName(TextStyle.FULL, UK))
                    .append("</th><td>").append(count(previous)).append("</td><td>").append(count(current))
                    .append("</td></tr>");
        }
        final Optional<AreaMetric> year = page.find("asb.incidents", null, null, AreaType.DISTRICT, page.city.code(),
                PeriodType.FINANCIAL_YEAR, page.fy, figure);
        final Optional<AreaMetric> yearBefore = page.find("asb.incidents", null, null, AreaType.DISTRICT,
                page.city.code(), PeriodType.FINANCIAL_YEAR, page.fyBefore, figure);
        final String cityName = escapeHtml4(page.city.name());
        html.append("<section id=\"asb\" aria-labelledby=\"asb-heading\">\n<h2 id=\"asb-heading\">Anti-social "
                + "behaviour</h2>\n");
        html.append("<p>Police recorded ").append(count(year)).append(" anti-social behaviour incidents in ")
                .append(cityName).append(" in ").append(page.fy).append(", against ").append(count(yearBefore))
                .append(" in ").append(page.fyBefore).append(changeSentence(yearBefore, year)).append(".</p>\n");
        final String title = "Police-recorded ASB incidents by month, " + page.city.name() + ", " + page.fyBefore
                + " and " + page.fy;
        final String chart = SvgChart.line("chart-asb-monthly", title, "Line chart of monthly incidents in "
                + page.fy + " against the same months of " + page.fyBefore + "; the values are in the table that "
                + "follows.", "Incidents", months, List.of(new SvgChart.Series(page.fyBefore, before),
                        new SvgChart.Series(page.fy, now)));
        figure(html, "figure-asb-monthly", "Figure 1. " + title, chart,
                "<table class=\"visually-hidden\"><caption>" + escapeHtml4(title) + "</caption><thead><tr>"
                        + "<th scope=\"col\">Month</th><th scope=\"col\">" + page.fyBefore + "</th><th scope=\"col\">"
                        + page.fy + "</th></tr></thead><tbody>" + rows + "</tbody></table>",
                note("police ASB incidents (csp.raw.police-asb, metrics csp.metrics.asb)",
                        "April " + (page.year - 1) + " to March " + (page.year + 1), figure));
        html.append("</section>\n");
    }

    private void wards(final StringBuilder html, final Page page) {
        html.append("<section id=\"wards\" aria-labelledby=\"wards-heading\">\n<h2 id=\"wards-heading\">Wards: "
                + "anti-social behaviour and assault-related ambulance callouts</h2>\n");
        wardFigure(html, page, "asb", "Figure 2. Police-recorded ASB incidents by ward", "asb.incidents",
                "asb.ward_share", "incidents", "police ASB incidents (csp.raw.police-asb, metrics csp.metrics.asb)");
        wardFigure(html, page, "ambulance", "Figure 3. Assault-related ambulance callouts by ward",
                "ambulance.callouts", "ambulance.ward_share", "callouts",
                "ambulance trust assault-related callouts (csp.raw.ambulance-callouts, metrics "
                        + "csp.metrics.ambulance)");
        html.append("</section>\n");
    }

    private void wardFigure(final StringBuilder html, final Page page, final String id, final String heading,
            final String countMetric, final String shareMetric, final String unit, final String source) {
        final Figure figure = new Figure();
        final List<AreaMetric> wards = page.published.stream()
                .filter(metric -> metric.getMetric().equals(countMetric) && metric.getDimension() == null
                        && metric.getAreaType() == AreaType.WARD && metric.getPeriodType() == PeriodType.FINANCIAL_YEAR
                        && metric.getPeriod().equals(page.fy)
                        && geography.wardByCode(metric.getAreaCode())
                                .map(ward -> ward.district().equals(page.city)).orElse(false))
                .sorted(Comparator.comparing((AreaMetric metric) -> metric.getValue() == null ? -1 : metric.getValue())
                        .reversed().thenComparing(AreaMetric::getAreaName))
                .toList();
        final List<String> names = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        final StringBuilder rows = new StringBuilder();
        final List<String> top = new ArrayList<>();
        for (final AreaMetric ward : wards) {
            figure.use(ward);
            final Optional<AreaMetric> share = page.find(shareMetric, null, null, AreaType.WARD, ward.getAreaCode(),
                    PeriodType.FINANCIAL_YEAR, page.fy, figure);
            // the share sits in the bar's label, so that it is read with the bar
            names.add(ward.getAreaName() + " (" + (ward.getSuppressed() ? disclosure.withheldLabel() : rate(share))
                    + ")");
            values.add(ward.getValue());
            rows.append("<tr><th scope=\"row\">").append(escapeHtml4(ward.getAreaName())).append("</th><td>")
                    .append(count(Optional.of(ward))).append("</td><td>").append(rate(share)).append("</td></tr>");
            if (top.size() < 3 && ward.getValue() != null && share.map(AreaMetric::getValue).isPresent()) {
                top.add(escapeHtml4(ward.getAreaName()) + " (" + rate(share) + ")");
            }
        }
        final Optional<AreaMetric> district = page.find(countMetric, null, null, AreaType.DISTRICT, page.city.code(),
                PeriodType.FINANCIAL_YEAR, page.fy, figure);
        final String title = heading.substring(heading.indexOf(". ") + 2) + ", " + page.city.name() + ", " + page.fy;
        html.append("<p>").append(escapeHtml4(page.city.name())).append(" had ").append(count(district)).append(' ')
                .append(unit).append(" in ").append(page.fy).append('.');
        if (!top.isEmpty()) {
            html.append(" The wards with the largest shares of the district's ").append(unit).append(" were ")
                    .append(joined(top)).append('.');
        }
        html.append("</p>\n");
        final String chart = SvgChart.bars("chart-" + id + "-wards", title, "Bar chart of " + unit
                + " in each ward, largest first, each ward labelled with its share of the district; withheld counts "
                + "are not drawn. The values and shares are in the table that follows.", capitalised(unit), names,
                List.of(new SvgChart.Series(page.fy, values)), true);
        figure(html, "figure-" + id + "-wards", heading + ", " + page.city.name() + ", " + page.fy, chart,
                "<table class=\"visually-hidden\"><caption>" + escapeHtml4(title) + "</caption><thead><tr>"
                        + "<th scope=\"col\">Ward</th><th scope=\"col\">" + capitalised(unit) + "</th>"
                        + "<th scope=\"col\">Share of the district</th></tr></thead><tbody>" + rows
                        + "</tbody></table>",
                note(source, "April " + page.year + " to March " + (page.year + 1), figure));
    }

    private void idva(final StringBuilder html, final Page page) {
        final Figure figure = new Figure();
        html.append("<section id=\"idva\" aria-labelledby=\"idva-heading\">\n<h2 id=\"idva-heading\">Domestic abuse: "
                + "IDVA referrals</h2>\n");
        final StringBuilder table = new StringBuilder();
        table.append("<table class=\"data\" id=\"idva-table\"><caption>Table 1. Referrals to the IDVA service by "
                + "district and quarter, ").append(page.fy).append(", with the change on the same quarter of ")
                .append(page.fyBefore).append("</caption>\n<thead><tr><th scope=\"col\">District or strand</th>");
        for (int quarter = 1; quarter <= 4; quarter++) {
            table.append("<th scope=\"col\">Q").append(quarter).append("</th>");
        }
        table.append("<th scope=\"col\">Year</th><th scope=\"col\">Engagement rate</th>"
                + "<th scope=\"col\">Repeat rate</th></tr></thead>\n<tbody>\n");
        for (final District district : geography.districts()) {
            idvaRow(table, page, figure, escapeHtml4(district.name()), "strand", "DISTRICT", AreaType.DISTRICT,
                    district.code(), "");
        }
        STRANDS.forEach((strand, label) -> idvaRow(table, page, figure, escapeHtml4(label), "strand", strand,
                AreaType.CSP, geography.cspCode(), ""));
        idvaRow(table, page, figure, "Total", null, null, AreaType.CSP, geography.cspCode(), " class=\"total\"");
        table.append("</tbody></table>\n");
        final Optional<AreaMetric> total = page.find("idva.referrals", null, null, AreaType.CSP, geography.cspCode(),
                PeriodType.FINANCIAL_YEAR, page.fy, figure);
        final Optional<AreaMetric> totalBefore = page.find("idva.referrals", null, null, AreaType.CSP,
                geography.cspCode(), PeriodType.FINANCIAL_YEAR, page.fyBefore, figure);
        html.append("<p>The IDVA service received ").append(count(total)).append(" referrals in ").append(page.fy)
                .append(", against ").append(count(totalBefore)).append(" in ").append(page.fyBefore)
                .append(changeSentence(totalBefore, total)).append(". District rows are referrals to the district "
                        + "teams; the specialist strands serve the whole partnership area. Under each quarter is the "
                        + "change on the same quarter a year before.</p>\n");
        html.append("<div class=\"figure\" id=\"table-idva\">").append(table)
                .append(note("IDVA service referrals (csp.raw.idva-referrals, metrics csp.metrics.idva)",
                        "April " + (page.year - 1) + " to March " + (page.year + 1), figure))
                .append("</div>\n</section>\n");
    }

    private void idvaRow(final StringBuilder table, final Page page, final Figure figure, final String label,
            final String dimension, final String value, final AreaType areaType, final String code,
            final String rowClass) {
        table.append("<tr").append(rowClass).append("><th scope=\"row\">").append(label).append("</th>");
        for (int quarter = 1; quarter <= 4; quarter++) {
            final Optional<AreaMetric> now = page.find("idva.referrals", dimension, value, areaType, code,
                    PeriodType.QUARTER, Periods.quarter(page.year, quarter), figure);
            final Optional<AreaMetric> before = page.find("idva.referrals", dimension, value, areaType, code,
                    PeriodType.QUARTER, Periods.quarter(page.year - 1, quarter), figure);
            table.append("<td>").append(count(now)).append("<span class=\"change\">").append(change(before, now))
                    .append("</span></td>");
        }
        table.append("<td>").append(count(page.find("idva.referrals", dimension, value, areaType, code,
                PeriodType.FINANCIAL_YEAR, page.fy, figure))).append("</td>");
        table.append("<td>").append(rate(page.find("idva.engagement_rate", dimension, value, areaType, code,
                PeriodType.FINANCIAL_YEAR, page.fy, figure))).append("</td>");
        table.append("<td>").append(rate(page.find("idva.repeat_rate", dimension, value, areaType, code,
                PeriodType.FINANCIAL_YEAR, page.fy, figure))).append("</td></tr>\n");
    }

    private void fires(final StringBuilder html, final Page page) {
        final Figure figure = new Figure();
        final String csp = geography.cspCode();
        final List<String> causes = new ArrayList<>();
        final List<Double> now = new ArrayList<>();
        final List<Double> before = new ArrayList<>();
        final StringBuilder rows = new StringBuilder();
        for (final String cause : CAUSES) {
            final String label = capitalised(cause.toLowerCase(UK).replace('_', ' '));
            final Optional<AreaMetric> current = page.find("fire.fires", "cause", cause, AreaType.CSP, csp,
                    PeriodType.FINANCIAL_YEAR, page.fy, figure);
            final Optional<AreaMetric> previous = page.find("fire.fires", "cause", cause, AreaType.CSP, csp,
                    PeriodType.FINANCIAL_YEAR, page.fyBefore, figure);
            causes.add(label);
            now.add(current.map(AreaMetric::getValue).orElse(null));
            before.add(previous.map(AreaMetric::getValue).orElse(null));
            rows.append("<tr><th scope=\"row\">").append(label).append("</th><td>").append(count(previous))
                    .append("</td><td>").append(count(current)).append("</td></tr>");
        }
        final Optional<AreaMetric> fires = page.find("fire.fires", null, null, AreaType.CSP, csp,
                PeriodType.FINANCIAL_YEAR, page.fy, figure);
        final Optional<AreaMetric> share = page.find("fire.deliberate_share", null, null, AreaType.CSP, csp,
                PeriodType.FINANCIAL_YEAR, page.fy, figure);
        final Optional<AreaMetric> projection = page.find("fire.projection", null, null, AreaType.CSP, csp,
                PeriodType.FINANCIAL_YEAR, page.fy, figure);
        html.append("<section id=\"fire\" aria-labelledby=\"fire-heading\">\n<h2 id=\"fire-heading\">Fires</h2>\n");
        html.append("<p>Fire and rescue attended ").append(count(fires)).append(" primary, secondary and chimney "
                + "fires in ").append(page.fy).append("; ").append(rate(share))
                .append(" of them were deliberate (including suspected).");
        projection.filter(metric -> metric.getValue() != null).ifPresent(metric -> {
            final long months = metric.getDenominator() == null ? 12 : metric.getDenominator();
            if (months < 12) {
                html.append(" With ").append(number(metric.getNumerator())).append(" fires in the first ")
                        .append(months).append(" months, the full year projects to ").append(number(metric.getValue()))
                        .append(" (fires so far × 12 ÷ months elapsed).");
            } else {
                html.append(" The year is complete, so the full-year projection is the count itself: ")
                        .append(number(metric.getValue())).append('.');
            }
        });
        projection.filter(AreaMetric::getSuppressed).ifPresent(metric -> html
                .append(" The full-year projection is withheld because the count it rests on is small."));
        html.append("</p>\n");
        final String title = "Fires by cause, " + geography.cspName() + ", " + page.fyBefore + " and " + page.fy;
        final String chart = SvgChart.bars("chart-fire-causes", title, "Bar chart of fires by cause in "
                + page.fyBefore + " and " + page.fy + "; the values are in the table that follows.", "Fires",
                causes, List.of(new SvgChart.Series(page.fyBefore, before), new SvgChart.Series(page.fy, now)),
                false);
        figure(html, "figure-fire-causes", "Figure 4. " + title, chart,
                "<table class=\"visually-hidden\"><caption>" + escapeHtml4(title) + "</caption><thead><tr>"
                        + "<th scope=\"col\">Cause</th><th scope=\"col\">" + page.fyBefore + "</th><th scope=\"col\">"
                        + page.fy + "</th></tr></thead><tbody>" + rows + "</tbody></table>",
                note("fire and rescue incidents (csp.raw.fire-incidents, metrics csp.metrics.fire)",
                        "April " + (page.year - 1) + " to March " + (page.year + 1), figure));
        html.append("</section>\n");
    }

    private static void figure(final StringBuilder html, final String id, final String heading, final String chart,
            final String table, final String note) {
        html.append("<figure id=\"").append(id).append("\" aria-labelledby=\"").append(id).append("-heading\">\n")
                .append("<h3 id=\"").append(id).append("-heading\">").append(escapeHtml4(heading)).append("</h3>\n")
                .append(chart).append('\n').append(table).append('\n').append("<figcaption>").append(note)
                .append("</figcaption>\n</figure>\n");
    }

    private String note(final String source, final String period, final Figure figure) {
        final String updated = figure.lastUpdated == null ? "no data received" : UPDATED.format(figure.lastUpdated);
        final String suppression = figure.withheld == 0 ? "none needed (no value withheld)"
                : "applied: " + figure.withheld + (figure.withheld == 1 ? " value" : " values") + " withheld, small "
                        + "counts shown as " + escapeHtml4(disclosure.withheldLabel());
        return "<p class=\"note\"><strong>Data note.</strong> Source: " + escapeHtml4(source) + ". Period covered: "
                + period + ". Last updated: " + updated + ". Disclosure control: " + suppression + ".</p>";
    }

    private String count(final Optional<AreaMetric> metric) {
        if (metric.isEmpty()) {
            return "–";
        }
        if (metric.get().getSuppressed()) {
            return escapeHtml4(disclosure.withheldLabel());
        }
        return metric.get().getValue() == null ? "–" : number(metric.get().getValue());
    }

    private String rate(final Optional<AreaMetric> metric) {
        if (metric.isEmpty() || metric.get().getValue() == null) {
            return metric.isPresent() && metric.get().getSuppressed() ? "withheld" : "–";
        }
        return String.format(UK, "%.1f%%", metric.get().getValue() * 100);
    }

    private static String change(final Optional<AreaMetric> before, final Optional<AreaMetric> now) {
        final Double previous = before.map(AreaMetric::getValue).orElse(null);
        final Double current = now.map(AreaMetric::getValue).orElse(null);
        if (previous == null || current == null || previous == 0) {
            return "no comparison";
        }
        return String.format(UK, "%+.0f%%", (current - previous) / previous * 100);
    }

    private static String changeSentence(final Optional<AreaMetric> before, final Optional<AreaMetric> now) {
        final String change = change(before, now);
        if (change.equals("no comparison")) {
            return "";
        }
        return change.startsWith("-") ? ", a fall of " + change.substring(1) : change.equals("+0%") ? ", no change"
                : ", a rise of " + change.substring(1);
    }

    private static String number(final double value) {
        return String.format(UK, "%,d", Math.round(value));
    }

    private static String capitalised(final String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String joined(final List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
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
