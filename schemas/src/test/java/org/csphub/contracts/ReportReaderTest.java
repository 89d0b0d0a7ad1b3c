package org.csphub.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.csphub.contracts.ReportSpec.Area;
import org.csphub.contracts.ReportSpec.Bound;
import org.csphub.contracts.ReportSpec.Figure;
import org.csphub.contracts.ReportSpec.Kind;
import org.csphub.contracts.ReportSpec.Window;
import org.junit.jupiter.api.Test;

class ReportReaderTest {

    private static final String FILE = "needle-finds.yaml";

    /** The valid needle-finds contract (58 lines) with a report block from line 59. */
    private static String withReport() {
        return FeedContractReaderTest.valid() + String.join("\n",
                "report:",                                                              // 59
                "  title: Needle finds",                                                // 60
                "  unit: finds",                                                        // 61
                "  figures:",                                                           // 62
                "    - kind: total",                                                    // 63
                "      counts: [needles.finds, needles.needles]",                       // 64
                "      window: {from: 2019-01, to: 2020-09}",                           // 65
                "      text: \"{count} finds, {needles.needles} needles\"",             // 66
                "    - kind: shares",                                                   // 67
                "      count: needles.finds",                                           // 68
                "      by: place",                                                      // 69
                "      labels: {PARK: parks}",                                          // 70
                "      window: {from: -6, to: 5}",                                      // 71
                "      text: \"{shares}\"",                                             // 72
                "    - kind: change",                                                   // 73
                "      count: needles.finds",                                           // 74
                "      by: place",                                                      // 75
                "      value: PARK",                                                    // 76
                "      window: year",                                                   // 77
                "      against: year_earlier",                                          // 78
                "      text: \"{count} against {count_against}[, {change}]\"",          // 79
                "");
    }

    @Test
    void shouldReadTheFiguresOfAReportBlock() {
        final List<ReportSpec> report = FeedContractReader.parse(withReport(), FILE).report();

        assertThat(report).hasSize(1);
        final ReportSpec section = report.get(0);
        assertThat(section.section()).isEqualTo("needles");
        assertThat(section.title()).contains("Needle finds");
        assertThat(section.unit()).isEqualTo("finds");
        final Figure total = section.figures().get(0);
        assertThat(total.kind()).isEqualTo(Kind.TOTAL);
        assertThat(total.id()).isEqualTo("needles-total-1");
        assertThat(total.area()).isEqualTo(Area.CITY);
        assertThat(total.counts()).containsExactly("needles.finds", "needles.needles");
        assertThat(total.window().first(2020)).isEqualTo(YearMonth.of(2019, 1));
        assertThat(total.window().last(2020)).isEqualTo(YearMonth.of(2020, 9));
        final Figure shares = section.figures().get(1);
        assertThat(shares.labels()).isEqualTo(Map.of("PARK", "parks"));
        // six months before April 2020 is October 2019; five after, September 2020
        assertThat(shares.window().first(2020)).isEqualTo(YearMonth.of(2019, 10));
        assertThat(shares.window().last(2020)).isEqualTo(YearMonth.of(2020, 9));
        final Figure change = section.figures().get(2);
        assertThat(change.value()).contains("PARK");
        assertThat(change.window()).isEqualTo(Window.YEAR);
        assertThat(change.against()).contains(new Window(new Bound(Optional.empty(), 0),
                new Bound(Optional.empty(), 0), true));
    }

    @Test
    void shouldGiveAContractWithoutABlockNoSection() {
        assertThat(FeedContractReader.parse(FeedContractReaderTest.valid(), FILE).report()).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownKind() {
        assertRefused(withReport().replace("kind: total", "kind: pie"), "needle-finds.yaml, line 63, column 13: "
                + "figure kind 'pie' is unknown; kinds are trend, change, shares, wards, total, years, quarters, "
                + "districts");
    }

    @Test
    void shouldRefuseACountTheFamilyDoesNotPublish() {
        assertRefused(withReport().replace("count: needles.finds\n      by: place\n      labels",
                "count: needles.syringes\n      by: place\n      labels"), "needle-finds.yaml, line 68, column 14: "
                + "'needles.syringes' is not a published count of family needles; counts are needles.finds, "
                + "needles.needles, needles.cleared");
    }

    @Test
    void shouldRefuseABreakdownTheCountIsNotPublishedBy() {
        assertRefused(withReport().replace("count: needles.finds\n      by: place\n      value",
                "count: needles.needles\n      by: place\n      value"), "needle-finds.yaml, line 75, column 11: "
                + "count 'needles.needles' is not published by 'place'; it is by no breakdown");
    }

    @Test
    void shouldRefuseAValueTheBreakdownLacks() {
        assertRefused(withReport().replace("value: PARK", "value: BEACH"), "needle-finds.yaml, line 76, column 14: "
                + "'BEACH' is not a value of 'place'; valid values are PARK, STREET, OTHER");
    }

    @Test
    void shouldRefuseAnUnknownPlaceholder() {
        assertThatThrownBy(() -> FeedContractReader.parse(withReport().replace("{needles.needles} needles",
                "{needles.syringes} needles"), FILE)).isInstanceOf(InvalidContractException.class)
                .hasMessageStartingWith("needle-finds.yaml, line 66, column 13: {needles.syringes} is not a "
                        + "placeholder here; valid ones are {area}, {year}");
    }

    @Test
    void shouldRefuseAWindowThatEndsBeforeItStarts() {
        assertRefused(withReport().replace("{from: 2019-01, to: 2020-09}", "{from: 2020-09, to: 2019-01}"),
                "needle-finds.yaml, line 65, column 35: the window ends before it starts: 'to' must not be before "
                        + "'from'");
    }

    @Test
    void shouldRefuseAWindowThatIsNotOne() {
        assertRefused(withReport().replace("window: year\n", "window: last_year\n"), "needle-finds.yaml, line 77, "
                + "column 15: a window is year (the report's financial year), year_before, or {from: M, to: M} with "
                + "each M a month (2019-10) or months from April of the report's year (0 is April, -1 the March "
                + "before), not 'last_year'");
    }

    @Test
    void shouldRefuseAKeyTheKindDoesNotTake() {
        assertRefused(withReport().replace("      against: year_earlier\n",
                "      against: year_earlier\n      top: 3\n"), "needle-finds.yaml, line 79, column 7: unknown key "
                + "'top'; expected one of kind, id, area, text, decimals, count, by, value, window, against");
    }

    @Test
    void shouldRefuseWardsOfThePartnership() {
        assertRefused(withReport().replace("    - kind: change\n", "    - kind: wards\n      count: needles.finds\n"
                + "      area: partnership\n      text: \"{top}\"\n    - kind: change\n"), "needle-finds.yaml, line 75, "
                + "column 13: a wards figure shows the city's wards; leave out 'area' or give city");
    }

    @Test
    void shouldRefuseSharesWithinAValueWithoutTheirValues() {
        assertRefused(withReport().replace("      labels: {PARK: parks}\n", "      within: {place: PARK}\n"),
                "needle-finds.yaml, line 70, column 7: shares within PARK need 'values': the values of 'place' that "
                        + "fall within it, e.g. values: [PARK, STREET]");
    }

    /** The valid contract with finds per 1,000 residents (lines 59 to 61) and a districts figure from line 62. */
    private static String withDistricts() {
        return FeedContractReaderTest.valid() + String.join("\n",
                "  per_1000_residents:",                                                // 59
                "    - name: needles.finds_per_1000",                                   // 60
                "      count: needles.finds",                                           // 61
                "report:",                                                              // 62
                "  figures:",                                                           // 63
                "    - kind: districts",                                                // 64
                "      count: needles.finds",                                           // 65
                "      rate: needles.finds_per_1000",                                   // 66
                "      years: [2019, 2020]",                                            // 67
                "      heading: \"Finds by district, {first_year} and {second_year}\"",  // 68
                "      text: \"{rate_top} had the most per 1,000 residents in {rate_years}; {count_top} the most"
                        + " in {count_years}.\"",                                       // 69
                "");
    }

    @Test
    void shouldReadADistrictsFigure() {
        final Figure districts = FeedContractReader.parse(withDistricts(), FILE).report().get(0).figures().get(0);

        assertThat(districts.kind()).isEqualTo(Kind.DISTRICTS);
        assertThat(districts.count()).isEqualTo("needles.finds");
        assertThat(districts.rates()).containsExactly("needles.finds_per_1000");
        assertThat(districts.years()).containsExactly(2019, 2020);
        assertThat(districts.decimals()).isEqualTo(1);
        assertThat(districts.heading()).contains("Finds by district, {first_year} and {second_year}");
    }

    @Test
    void shouldRefuseADistrictsFigureWhoseRateIsNotOneOfItsCountPer1000Residents() {
        assertRefused(withDistricts().replace("rate: needles.finds_per_1000", "rate: needles.cleared_share"),
                "needle-finds.yaml, line 66, column 13: 'needles.cleared_share' is not a count per 1,000 residents of"
                        + " 'needles.finds' in family needles; it has needles.finds_per_1000");
        assertRefused(withDistricts().replace("count: needles.finds\n      rate", "count: needles.needles\n      rate"),
                "needle-finds.yaml, line 66, column 13: 'needles.finds_per_1000' is not a count per 1,000 residents of"
                        + " 'needles.needles' in family needles; it has none (add one under the family's"
                        + " per_1000_residents)");
        assertRefused(withDistricts().replace("      rate: needles.finds_per_1000\n", ""),
                "needle-finds.yaml, line 64, column 7: 'rate' is missing");
    }

    @Test
    void shouldRefuseADistrictsFigureWithoutTwoYearsInOrder() {
        assertRefused(withDistricts().replace("years: [2019, 2020]", "years: [2020]"),
                "needle-finds.yaml, line 67, column 14: a districts figure compares two calendar years, e.g. years:"
                        + " [2019, 2020]; 1 are listed");
        assertRefused(withDistricts().replace("years: [2019, 2020]", "years: [2020, 2019]"),
                "needle-finds.yaml, line 67, column 21: the years are listed earlier first: 2019 is not after 2020");
        assertRefused(withDistricts().replace("{count_years}", "{window_top}"),
                "needle-finds.yaml, line 69, column 13: {window_top} is not a placeholder here; valid ones are {area},"
                        + " {year}, {year_before}, {window}, {unit}, {city}, {partnership}, {rate_top}, {rate_years},"
                        + " {count_top}, {count_years}, {first_year}, {second_year}, {needles.finds},"
                        + " {needles.needles}, {needles.cleared}, {needles.cleared_share}");
    }

    private static void assertRefused(final String yaml, final String message) {
        assertThatThrownBy(() -> FeedContractReader.parse(yaml, FILE))
                .isInstanceOf(InvalidContractException.class)
                .hasMessage(message);
    }
}
