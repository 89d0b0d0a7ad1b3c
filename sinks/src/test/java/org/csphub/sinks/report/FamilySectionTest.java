package org.csphub.sinks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.csphub.sinks.MetricFixtures.CAMBRIDGE;
import static org.csphub.sinks.MetricFixtures.metric;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.csphub.contracts.FeedContract;
import org.csphub.contracts.FeedContractReader;
import org.csphub.contracts.ShippedContracts;
import org.csphub.geography.Ward;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sections of feeds with a report block, from metrics made here out of counts: the figures of the
 * partnership's 2020 assessment are worked out from those counts in the test (each share and change
 * to the nearest whole percent) and must match the assessment's own wording.
 */
class FamilySectionTest {

    // violence against the person, October 2019 to September 2020, by subgroup
    private static final long WITHOUT_INJURY = 2_213;
    private static final long STALKING = 961;
    private static final long WITH_INJURY = 846;
    // hate crimes, January to August of 2020 and of 2019
    private static final long HATE_2020 = 951;
    private static final long HATE_2019 = 1_753;
    // needle finds by ward, January 2019 to September 2020, and the needles found
    private static final Map<String, Long> FINDS = finds();
    private static final long NEEDLES = 2_457;
    // police ASB incidents by ward in the twelve months to September 2020
    private static final Map<String, Long> ASB_WARDS = asbWards();

    private static final FeedContract CRIME = ShippedContracts.of("police-crime");
    private static final FeedContract NEEDLE_FINDS = ShippedContracts.of("needle-finds");
    private static final FeedContract ED = ShippedContracts.of("ed-assaults");
    private static String html;

    @BeforeAll
    static void render() {
        final List<AreaMetric> metrics = new ArrayList<>();
        crime(metrics);
        needles(metrics);
        asb(metrics);
        ed(metrics);
        html = new StrategicAssessmentReport(ReportFixtures.disclosure(), ReportFixtures.GEOGRAPHY,
                List.of(ShippedContracts.of("police-asb"), CRIME, NEEDLE_FINDS, ED))
                .render(metrics, ReportFixtures.OPTIONS);
    }

    @Test
    void shouldGiveTheSubgroupsSharesOfViolenceAgainstThePerson() {
        final long violence = WITHOUT_INJURY + STALKING + WITH_INJURY;
        final String withoutInjury = "Violence without injury " + percent(WITHOUT_INJURY, violence) + " ("
                + String.format(Locale.UK, "%,d", WITHOUT_INJURY) + ")";
        final String stalking = "Stalking and harassment " + percent(STALKING, violence) + " ("
                + String.format(Locale.UK, "%,d", STALKING) + ")";
        // the assessment's figures
        assertThat(withoutInjury).isEqualTo("Violence without injury 55% (2,213)");
        assertThat(stalking).isEqualTo("Stalking and harassment 24% (961)");
        assertThat(html).contains("Violence against the person in Cambridge from October 2019 to September 2020 ("
                + String.format(Locale.UK, "%,d", violence) + " offences): " + withoutInjury + " and " + stalking
                + ".");
    }

    @Test
    void shouldStateTheFallInHateCrimesInWords() {
        final long fall = Math.round(100.0 * (HATE_2019 - HATE_2020) / HATE_2019);
        assertThat(fall).isEqualTo(46);
        assertThat(html).contains("Police recorded 951 hate crimes in Cambridge in January to August 2020, against "
                + "1,753 in the same months of the year before, a fall of " + fall + "%.");
    }

    @Test
    void shouldTotalTheNeedleFindsAndNameTheWardsWithTheMost() {
        final long finds = FINDS.values().stream().mapToLong(Long::longValue).sum();
        assertThat(finds).isEqualTo(318);
        assertThat(html).contains("From January 2019 to September 2020, Cambridge had 318 finds, 2,457 needles.");
        final String top = "Market " + percent(FINDS.get("Market"), finds) + ", Petersfield "
                + percent(FINDS.get("Petersfield"), finds) + " and Romsey " + percent(FINDS.get("Romsey"), finds);
        assertThat(top).isEqualTo("Market 27%, Petersfield 16% and Romsey 12%");
        assertThat(html).contains("The wards with the largest shares of the finds were " + top + ".");
    }

    @Test
    void shouldGiveThePoliceAsbFiguresOfTheAssessment() {
        final long incidents = ASB_WARDS.values().stream().mapToLong(Long::longValue).sum();
        final String top = "Market " + percent(ASB_WARDS.get("Market"), incidents) + ", Trumpington "
                + percent(ASB_WARDS.get("Trumpington"), incidents) + " and Abbey "
                + percent(ASB_WARDS.get("Abbey"), incidents);
        assertThat(top).isEqualTo("Market 20%, Trumpington 13% and Abbey 9%");
        assertThat(html).contains("The wards with the largest shares of Cambridge's incidents from October 2019 to "
                + "September 2020 were " + top + ".");
        assertThat(percent(830, 830 + 120 + 50)).isEqualTo("83%");
        assertThat(html).contains("Of the incidents in 2019/20, 83% were nuisance.");
        assertThat(Math.round(100.0 * (135 - 100) / 100)).isEqualTo(35);
        assertThat(html).contains("Incidents in June 2020 were up 35% on March 2020 (135 against 100).");
    }

    @Test
    void shouldNotShowAShareOfAWithheldCount() {
        // 3 attendances of unknown sex are withheld, and so is the next smallest part (women's 150), so
        // that the total does not give them away; men's share of the total is shown
        assertThat(html).contains("Of the attendances in 2020/21, " + percent(300, 453) + " were men (300).")
                .doesNotContain("were women", "people whose sex was not recorded");
        assertThat(html).contains("The age bands with the most attendances in 2020/21 were 18-24 "
                + percent(200, 453) + ", 25-34 " + percent(150, 453) + " and 35-44 " + percent(103, 453) + ".");
    }

    @Test
    void shouldTakeItsSectionsFromTheContractsInTheirOrder() {
        final List<String> contents = Pattern.compile("<li><a href=\"#([a-z0-9-]+)\">").matcher(html).results()
                .map(match -> match.group(1)).toList();
        assertThat(contents).containsExactly("asb", "wards", "crime", "needles", "ed");
        assertThat(html).contains("<h3 id=\"figure-ed-wards-heading\">Figure 6. Assault-related ED attendances by "
                + "ward, Cambridge, 2020/21</h3>");
    }

    @Test
    void shouldGiveAFeedWithoutAReportBlockNoSection() {
        final String text = resource("needle-finds");
        final FeedContract withoutBlock = FeedContractReader.parse(text.substring(0,
                text.indexOf("\nreport:") + 1), "needle-finds.yaml");
        final List<AreaMetric> metrics = new ArrayList<>();
        needles(metrics);
        final String page = new StrategicAssessmentReport(ReportFixtures.disclosure(), ReportFixtures.GEOGRAPHY,
                List.of(CRIME, withoutBlock)).render(metrics, ReportFixtures.OPTIONS);
        assertThat(page).contains("<section id=\"crime\"").doesNotContain("<section id=\"needles\"", "318 finds");
    }

    @Test
    void shouldRefuseTwoFiguresWithOneId() {
        final StrategicAssessmentReport report = new StrategicAssessmentReport(ReportFixtures.disclosure(),
                ReportFixtures.GEOGRAPHY, List.of(ShippedContracts.of("police-asb"), CRIME, NEEDLE_FINDS,
                        ShippedContracts.of("police-asb")));
        assertThatThrownBy(() -> report.render(List.of(), ReportFixtures.OPTIONS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Figure id 'asb-monthly' is in the report blocks of both police-asb and police-asb; give "
                        + "one of them an id of its own");
    }

    private static String percent(final long part, final long whole) {
        return Math.round(100.0 * part / whole) + "%";
    }


    private static void crime(final List<AreaMetric> metrics) {
        final List<YearMonth> year = months(YearMonth.of(2019, 10), YearMonth.of(2020, 9));
        final Map<YearMonth, Long> violence = new LinkedHashMap<>();
        final Map<String, Long> subgroups = Map.of("VIOLENCE_WITHOUT_INJURY", WITHOUT_INJURY,
                "STALKING_AND_HARASSMENT", STALKING, "VIOLENCE_WITH_INJURY", WITH_INJURY);
        subgroups.forEach((subgroup, count) -> spread(count, year).forEach((month, value) -> {
            metrics.add(cambridge("crime.offences", "offence_subgroup", subgroup, month, value));
            violence.merge(month, value, Long::sum);
        }));
        final Map<YearMonth, Long> theft = spread(3_000, year);
        violence.forEach((month, value) -> {
            metrics.add(cambridge("crime.offences", "offence_group", "VIOLENCE_AGAINST_THE_PERSON", month, value));
            metrics.add(cambridge("crime.offences", "offence_group", "THEFT_OFFENCES", month, theft.get(month)));
            metrics.add(cambridge("crime.offences", null, null, month, value + theft.get(month)));
        });
        spread(HATE_2020, months(YearMonth.of(2020, 1), YearMonth.of(2020, 8)))
                .forEach((month, value) -> metrics.add(cambridge("crime.hate_crime", null, null, month, value)));
        spread(HATE_2019, months(YearMonth.of(2019, 1), YearMonth.of(2019, 8)))
                .forEach((month, value) -> metrics.add(cambridge("crime.hate_crime", null, null, month, value)));
    }

    private static void needles(final List<AreaMetric> metrics) {
        final List<YearMonth> window = months(YearMonth.of(2019, 1), YearMonth.of(2020, 9));
        final Map<YearMonth, Long> district = new LinkedHashMap<>();
        FINDS.forEach((name, count) -> {
            final Ward ward = ward(name);
            spread(count, window).forEach((month, value) -> {
                metrics.add(metric("needles.finds", null, null, AreaType.WARD, ward.code(), ward.name(),
                        PeriodType.MONTH, month.toString(), (double) value));
                district.merge(month, value, Long::sum);
            });
        });
        district.forEach((month, value) -> metrics.add(cambridge("needles.finds", null, null, month, value)));
        spread(NEEDLES, window).forEach((month, value) -> metrics.add(cambridge("needles.needles", null, null, month,
                value)));
    }

    private static void asb(final List<AreaMetric> metrics) {
        ASB_WARDS.forEach((name, count) -> {
            final Ward ward = ward(name);
            metrics.add(metric("asb.incidents", null, null, AreaType.WARD, ward.code(), ward.name(),
                    PeriodType.ROLLING_12M, "12m to 2020-09", (double) count));
        });
        metrics.add(metric("asb.incidents", null, null, AreaType.DISTRICT, CAMBRIDGE, "Cambridge",
                PeriodType.ROLLING_12M, "12m to 2020-09",
                (double) ASB_WARDS.values().stream().mapToLong(Long::longValue).sum()));
        final Map<String, Long> categories = Map.of("NUISANCE", 830L, "PERSONAL", 120L, "ENVIRONMENTAL", 50L);
        categories.forEach((category, count) -> metrics.add(metric("asb.incidents", "category", category,
                AreaType.DISTRICT, CAMBRIDGE, "Cambridge", PeriodType.FINANCIAL_YEAR, "2019/20", (double) count)));
        metrics.add(metric("asb.incidents", null, null, AreaType.DISTRICT, CAMBRIDGE, "Cambridge",
                PeriodType.FINANCIAL_YEAR, "2019/20", 1_000.0));
        metrics.add(cambridge("asb.incidents", null, null, YearMonth.of(2020, 3), 100));
        metrics.add(cambridge("asb.incidents", null, null, YearMonth.of(2020, 6), 135));
    }

    private static void ed(final List<AreaMetric> metrics) {
        final Map<String, Long> sexes = Map.of("M", 300L, "F", 150L, "U", 3L);
        final Map<String, Long> ages = Map.of("18-24", 200L, "25-34", 150L, "35-44", 103L);
        sexes.forEach((sex, count) -> metrics.add(year("ed.attendances", "sex", sex, AreaType.DISTRICT, CAMBRIDGE,
                "Cambridge", count)));
        ages.forEach((age, count) -> metrics.add(year("ed.attendances", "age_band", age, AreaType.DISTRICT,
                CAMBRIDGE, "Cambridge", count)));
        metrics.add(year("ed.attendances", null, null, AreaType.DISTRICT, CAMBRIDGE, "Cambridge", 453));
        final Map<String, Long> wards = Map.of("Abbey", 200L, "Arbury", 150L, "Castle", 103L);
        wards.forEach((name, count) -> metrics.add(year("ed.attendances", null, null, AreaType.WARD,
                ward(name).code(), name, count)));
    }

    /** {@code total} over the first months of {@code months}, each 5 or more, so that none is withheld. */
    private static Map<YearMonth, Long> spread(final long total, final List<YearMonth> months) {
        final int used = (int) Math.max(1, Math.min(months.size(), total / 5));
        final Map<YearMonth, Long> values = new LinkedHashMap<>();
        for (int i = 0; i < used; i++) {
            values.put(months.get(i), total / used + (i < total % used ? 1 : 0));
        }
        return values;
    }

    private static List<YearMonth> months(final YearMonth first, final YearMonth last) {
        final List<YearMonth> months = new ArrayList<>();
        for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
            months.add(month);
        }
        return months;
    }

    private static AreaMetric cambridge(final String metric, final String dimension, final String value,
            final YearMonth month, final long count) {
        return metric(metric, dimension, value, AreaType.DISTRICT, CAMBRIDGE, "Cambridge", PeriodType.MONTH,
                month.toString(), (double) count);
    }

    private static AreaMetric year(final String metric, final String dimension, final String value,
            final AreaType type, final String code, final String name, final long count) {
        return metric(metric, dimension, value, type, code, name, PeriodType.FINANCIAL_YEAR, "2020/21",
                (double) count);
    }

    private static Ward ward(final String name) {
        return ReportFixtures.cambridgeWards().stream().filter(ward -> ward.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private static Map<String, Long> finds() {
        final Map<String, Long> finds = new LinkedHashMap<>();
        finds.put("Market", 86L);
        finds.put("Petersfield", 51L);
        finds.put("Romsey", 38L);
        finds.put("Abbey", 30L);
        finds.put("Arbury", 30L);
        finds.put("Castle", 29L);
        finds.put("Coleridge", 28L);
        finds.put("Newnham", 26L);
        return finds;
    }

    private static Map<String, Long> asbWards() {
        final Map<String, Long> wards = new LinkedHashMap<>();
        wards.put("Market", 200L);
        wards.put("Trumpington", 130L);
        wards.put("Abbey", 90L);
        for (final String name : List.of("Arbury", "Castle", "Cherry Hinton", "Coleridge", "East Chesterton",
                "King's Hedges", "Newnham", "Petersfield", "Queen Edith's", "Romsey")) {
            wards.put(name, 53L);
        }
        wards.put("West Chesterton", 50L);
        return wards;
    }

    private static String resource(final String slug) {
        try (InputStream in = FamilySectionTest.class.getResourceAsStream("/feeds/" + slug + ".yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
