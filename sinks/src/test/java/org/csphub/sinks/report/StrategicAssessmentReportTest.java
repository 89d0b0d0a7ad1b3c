package org.csphub.sinks.report;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csphub.access.Audience;
import org.csphub.geography.District;
import org.csphub.geography.Ward;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StrategicAssessmentReportTest {

    private static final List<String> FIGURES = List.of("figure-asb-monthly", "figure-asb-wards",
            "figure-ambulance-wards", "figure-fire-causes");
    private static String html;

    @BeforeAll
    static void render() {
        html = new StrategicAssessmentReport(ReportFixtures.disclosure(), ReportFixtures.GEOGRAPHY)
                .render(ReportFixtures.metrics(), ReportFixtures.OPTIONS);
    }

    @Test
    void shouldKeepHeadingsInOrder() {
        final Matcher headings = Pattern.compile("<h([1-6])[ >]").matcher(html);
        final List<Integer> levels = new ArrayList<>();
        while (headings.find()) {
            levels.add(Integer.parseInt(headings.group(1)));
        }
        assertThat(levels).startsWith(1, 2, 2, 3);
        assertThat(levels.stream().filter(level -> level == 1)).hasSize(1);
        for (int i = 1; i < levels.size(); i++) {
            assertThat(levels.get(i)).as("heading %d after level %d", i, levels.get(i - 1))
                    .isLessThanOrEqualTo(levels.get(i - 1) + 1);
        }
    }

    @Test
    void shouldDrawEveryFigureAsANonEmptyLabelledSvg() {
        for (final String id : FIGURES) {
            final String figure = section(html, "<figure id=\"" + id + "\"", "</figure>");
            assertThat(figure).as(id).contains("<h3 id=\"" + id + "-heading\">", "role=\"img\"",
                    "aria-labelledby=\"chart-", "<title id=\"chart-", "<desc id=\"chart-", "Data note.",
                    "<table class=\"visually-hidden\">");
            final String svg = section(figure, "<svg", "</svg>");
            assertThat(Pattern.compile("<(path|rect|line|polyline)\\b").matcher(svg).results().count())
                    .as(id).isGreaterThan(5);
        }
    }

    @Test
    void shouldFetchNothingFromOutsideThePage() {
        assertThat(html).doesNotContainPattern("(?i)\\b(src|href)\\s*=\\s*[\"'](?!#|data:)")
                .doesNotContainPattern("(?i)url\\(\\s*['\"]?(https?:|//)")
                .doesNotContainPattern("(?i)<(script|img|iframe|object|embed)\\b")
                .doesNotContain("@import");
        assertThat(Pattern.compile("(?i)<link\\b[^>]*>").matcher(html).results().map(match -> match.group()))
                .containsExactly("<link rel=\"icon\" href=\"data:,\">");
    }

    @Test
    void shouldShowTheIdvaTableWithHeadersAndItsTotals() {
        final String table = section(html, "<table class=\"data\" id=\"idva-table\">", "</table>");
        assertThat(table).contains("<th scope=\"col\">District or strand</th><th scope=\"col\">Q1</th>"
                + "<th scope=\"col\">Q2</th><th scope=\"col\">Q3</th><th scope=\"col\">Q4</th>"
                + "<th scope=\"col\">Year</th><th scope=\"col\">Engagement rate</th>"
                + "<th scope=\"col\">Repeat rate</th>");
        final List<String> rows = Pattern.compile("<th scope=\"row\">([^<]*)</th>").matcher(table).results()
                .map(match -> match.group(1)).toList();
        final List<String> expected = new ArrayList<>(ReportFixtures.GEOGRAPHY.districts().stream()
                .map(District::name).toList());
        expected.addAll(List.of("A8 nationals (partnership-wide)", "Young people (partnership-wide)",
                "Health (partnership-wide)", "Stalking (partnership-wide)", "Total"));
        assertThat(rows).isEqualTo(expected);
        // 235 on 223 is +5.4%, 245 on 233 +5.2%, 255 on 243 +4.9%, 265 on 253 +4.7%; 600 of 1,000 engaged, 150 repeats
        assertThat(section(table, "<tr class=\"total\">", "</tr>")).isEqualTo("<tr class=\"total\">"
                + "<th scope=\"row\">Total</th>"
                + "<td>235<span class=\"change\">+5%</span></td><td>245<span class=\"change\">+5%</span></td>"
                + "<td>255<span class=\"change\">+5%</span></td><td>265<span class=\"change\">+5%</span></td>"
                + "<td>1,000</td><td>60.0%</td><td>15.0%</td></tr>");
        assertThat(html).contains("The IDVA service received 1,000 referrals in 2020/21, against 952 in 2019/20, "
                + "a rise of 5%.");
    }

    @Test
    void shouldNameTheTopWardsAndWithholdSmallCounts() {
        final List<Ward> wards = ReportFixtures.cambridgeWards();
        // 679 incidents: the three largest wards have 94, 87 and 80
        assertThat(html).contains("Cambridge had 679 incidents in 2020/21. The wards with the largest shares of the "
                + "district's incidents were " + escapeHtml4(wards.get(12).name()) + " (13.8%), "
                + escapeHtml4(wards.get(11).name()) + " (12.8%) and " + escapeHtml4(wards.get(10).name())
                + " (11.8%).");
        final String figure = section(html, "<figure id=\"figure-asb-wards\"", "</figure>");
        // the last ward's 3 is withheld, and so is the next smallest (the first ward's 10), with both shares
        assertThat(figure).contains("<tr><th scope=\"row\">" + escapeHtml4(wards.get(13).name())
                + "</th><td>&lt;5</td><td>withheld</td></tr>", "<tr><th scope=\"row\">"
                + escapeHtml4(wards.get(0).name()) + "</th><td>&lt;5</td><td>withheld</td></tr>",
                "Disclosure control: counts from 1 to 4 withheld; 4 values withheld, shown as &lt;5.",
                "Last updated: 6 April 2021 07:00 UTC.");
        assertThat(section(html, "<figure id=\"figure-asb-monthly\"", "</figure>"))
                .contains("Disclosure control: counts from 1 to 4 withheld; no value withheld.",
                        "Period covered: April 2019 to March 2021.");
    }

    @Test
    void shouldSayItShowsThePublicView() {
        assertThat(section(html, "<p class=\"view\"", "</p>")).contains("Public view.",
                "shown as that source publishes them, which each section's data notes state");
        assertThat(html).doesNotContain("partners' view", "Partners' view");
    }

    @Test
    void shouldShowThePartnersTheFullFiguresAndSaySo() {
        final String partners = new StrategicAssessmentReport(ReportFixtures.disclosure(), ReportFixtures.GEOGRAPHY,
                org.csphub.contracts.ShippedContracts.all(), Audience.PARTNER)
                .render(ReportFixtures.metrics(), ReportFixtures.OPTIONS);
        final List<Ward> wards = ReportFixtures.cambridgeWards();

        assertThat(section(partners, "<p class=\"view\"", "</p>")).contains("Partners' view: not for publication.");
        assertThat(partners).contains("partners' view</title>");
        final String figure = section(partners, "<figure id=\"figure-asb-wards\"", "</figure>");
        // the last ward's 3 and the first ward's 10, which the public view withholds, as they are
        assertThat(figure).contains("<tr><th scope=\"row\">" + escapeHtml4(wards.get(13).name()) + "</th><td>3</td>",
                "<tr><th scope=\"row\">" + escapeHtml4(wards.get(0).name()) + "</th><td>10</td>",
                "Disclosure control: not applied (partners' view, full figures).")
                .doesNotContain("&lt;5", "withheld</td>");
    }

    @Test
    void shouldCompareTheYearWithTheYearBefore() {
        // 679 against 606 is a rise of 12.0%
        assertThat(html).contains("Police recorded 679 anti-social behaviour incidents in Cambridge in 2020/21, "
                + "against 606 in 2019/20, a rise of 12%.");
        assertThat(section(html, "<figure id=\"figure-asb-monthly\"", "</figure>"))
                .contains("<tr><th scope=\"row\">April</th><td>45</td><td>50</td></tr>",
                        "<tr><th scope=\"row\">March</th><td>56</td><td>74</td></tr>");
    }

    @Test
    void shouldGiveTheDeliberateShareAndTheProjection() {
        assertThat(html).contains("Fire and rescue attended 177 primary, secondary and chimney fires in 2020/21; "
                + "33.9% of them were deliberate (including suspected). With 177 fires in the first 11 months, the "
                + "full year projects to 193 (fires so far × 12 ÷ months elapsed).");
    }

    @Test
    void shouldPrintOnA4() {
        assertThat(html).contains("@page { size: A4;", "break-inside: avoid", "@media print");
    }

    @Test
    void shouldRefuseAPeriodThatIsNotAFinancialYear() {
        final StrategicAssessmentReport report = new StrategicAssessmentReport(ReportFixtures.disclosure(),
                ReportFixtures.GEOGRAPHY);
        assertThatThrownBy(() -> report.render(List.of(), new StrategicAssessmentReport.Options("2020",
                "E07000008", ReportFixtures.GENERATED))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2020/21");
    }

    static String section(final String text, final String start, final String end) {
        final int from = text.indexOf(start);
        assertThat(from).as("where %s starts", start).isNotNegative();
        final int to = text.indexOf(end, from);
        assertThat(to).as("where %s ends", start).isNotNegative();
        return text.substring(from, to + end.length());
    }
}
