package org.csphub.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.Optional;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.junit.jupiter.api.Test;

class DisclosureControlTest {

    private static final String CSP = "cambridgeshire-and-peterborough";
    private static final String D1 = "E07000008";
    private static final String D2 = "E07000012";
    /** Wards A to D lie in D1, E and F in D2. */
    private static final Map<String, String> DISTRICT_OF_WARD = Map.of("A", D1, "B", D1, "C", D1, "D", D1,
            "E", D2, "F", D2);

    private final DisclosureControl control = new DisclosureControl(5,
            ward -> Optional.ofNullable(DISTRICT_OF_WARD.get(ward)));

    @Test
    void shouldWithholdCountsFromOneToFourAndKeepZeroAndFiveAndMore() {
        // unrelated cells (different periods), so no secondary suppression takes part
        final List<AreaMetric> table = List.of(
                count("asb.incidents", null, AreaType.WARD, "A", "2020-04", 0),
                count("asb.incidents", null, AreaType.WARD, "A", "2020-05", 1),
                count("asb.incidents", null, AreaType.WARD, "A", "2020-06", 4),
                count("asb.incidents", null, AreaType.WARD, "A", "2020-07", 5),
                count("asb.incidents", null, AreaType.WARD, "A", "2020-08", 12));

        assertThat(control.apply(table)).containsExactly(
                count("asb.incidents", null, AreaType.WARD, "A", "2020-04", 0),
                withheld(count("asb.incidents", null, AreaType.WARD, "A", "2020-05", 1)),
                withheld(count("asb.incidents", null, AreaType.WARD, "A", "2020-06", 4)),
                count("asb.incidents", null, AreaType.WARD, "A", "2020-07", 5),
                count("asb.incidents", null, AreaType.WARD, "A", "2020-08", 12));
        assertThat(control.familyPolicy("asb").withheldLabel()).isEqualTo("<5");
    }

    @Test
    void shouldUseTheConfiguredThreshold() {
        final DisclosureControl stricter = new DisclosureControl(8, ward -> Optional.empty());
        final List<AreaMetric> table = List.of(
                count("asb.incidents", null, AreaType.WARD, "A", "2020-04", 5),
                count("asb.incidents", null, AreaType.WARD, "A", "2020-05", 7),
                count("asb.incidents", null, AreaType.WARD, "A", "2020-06", 8));

        assertThat(stricter.apply(table)).containsExactly(
                withheld(count("asb.incidents", null, AreaType.WARD, "A", "2020-04", 5)),
                withheld(count("asb.incidents", null, AreaType.WARD, "A", "2020-05", 7)),
                count("asb.incidents", null, AreaType.WARD, "A", "2020-06", 8));
        assertThat(stricter.familyPolicy("asb").withheldLabel()).isEqualTo("<8");
        assertThatThrownBy(() -> new DisclosureControl(0, ward -> Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldWithholdRatesWhoseNumeratorOrDenominatorIsSmall() {
        final List<AreaMetric> table = List.of(
                rate("idva.engagement_rate", D1, "2020/21 Q1", 3, 20),
                rate("idva.engagement_rate", D1, "2020/21 Q2", 6, 4),
                rate("idva.engagement_rate", D1, "2020/21 Q3", 6, 20),
                rate("idva.engagement_rate", D1, "2020/21 Q4", 0, 20));

        assertThat(control.apply(table)).containsExactly(
                withheld(rate("idva.engagement_rate", D1, "2020/21 Q1", 3, 20)),
                withheld(rate("idva.engagement_rate", D1, "2020/21 Q2", 6, 4)),
                rate("idva.engagement_rate", D1, "2020/21 Q3", 6, 20),
                rate("idva.engagement_rate", D1, "2020/21 Q4", 0, 20));
    }

    @Test
    void shouldWithholdTheNextSmallestCategoryWhenOnlyOneCategoryIsWithheld() {
        // total 30 = 3 + 20 + 7: 3 is withheld, so 30 - 20 - 7 would give it away; 7 is the next smallest
        final List<AreaMetric> table = List.of(
                count("asb.incidents", null, AreaType.DISTRICT, D1, "2020-04", 30),
                category("PERSONAL", 3), category("NUISANCE", 20), category("ENVIRONMENTAL", 7));

        assertThat(control.apply(table)).containsExactly(
                count("asb.incidents", null, AreaType.DISTRICT, D1, "2020-04", 30),
                withheld(category("PERSONAL", 3)), category("NUISANCE", 20), withheld(category("ENVIRONMENTAL", 7)));
    }

    @Test
    void shouldWithholdTheNextSmallestWardButNeverChooseAZero() {
        // district 30 = 0 + 3 + 9 + 18: 3 is withheld, the next smallest non-zero ward (9) goes too, 0 stays
        final List<AreaMetric> table = List.of(
                count("asb.incidents", null, AreaType.DISTRICT, D1, "2020-04", 30),
                ward("A", 0), ward("B", 3), ward("C", 9), ward("D", 18));

        assertThat(control.apply(table)).containsExactly(
                count("asb.incidents", null, AreaType.DISTRICT, D1, "2020-04", 30),
                ward("A", 0), withheld(ward("B", 3)), withheld(ward("C", 9)), ward("D", 18));
    }

    @Test
    void shouldLeaveAGroupAloneWhenTwoPartsAreAlreadyWithheld() {
        final List<AreaMetric> table = List.of(
                count("asb.incidents", null, AreaType.DISTRICT, D1, "2020-04", 30),
                ward("A", 2), ward("B", 3), ward("C", 9), ward("D", 16));

        assertThat(control.apply(table)).containsExactly(
                count("asb.incidents", null, AreaType.DISTRICT, D1, "2020-04", 30),
                withheld(ward("A", 2)), withheld(ward("B", 3)), ward("C", 9), ward("D", 16));
    }

    @Test
    void shouldCarrySecondarySuppressionDownFromTheDistrictsToTheWards() {
        // CSP 50 = D1 3 + D2 47: D1 is withheld, so D2 is too (the only other district);
        // D2 = E 12 + F 35 would then give D2 away, so its smaller ward E is withheld.
        final List<AreaMetric> table = List.of(
                count("asb.incidents", null, AreaType.CSP, CSP, "2020-04", 50),
                count("asb.incidents", null, AreaType.DISTRICT, D1, "2020-04", 3),
                count("asb.incidents", null, AreaType.DISTRICT, D2, "2020-04", 47),
                ward("E", 12), ward("F", 35));

        assertThat(control.apply(table)).containsExactly(
                count("asb.incidents", null, AreaType.CSP, CSP, "2020-04", 50),
                withheld(count("asb.incidents", null, AreaType.DISTRICT, D1, "2020-04", 3)),
                withheld(count("asb.incidents", null, AreaType.DISTRICT, D2, "2020-04", 47)),
                withheld(ward("E", 12)), ward("F", 35));
    }

    @Test
    void shouldWithholdTheTotalWhenNoOtherPartCanBeWithheld() {
        // 4 = 4 + 0 + 0: the only visible parts are zeros, so the total goes
        final List<AreaMetric> table = List.of(
                count("asb.incidents", null, AreaType.DISTRICT, D2, "2020-04", 9),
                ward("E", 9), ward("F", 0),
                count("asb.incidents", "category", "PERSONAL", AreaType.WARD, "E", "2020-04", 0),
                count("asb.incidents", "category", "NUISANCE", AreaType.WARD, "E", "2020-04", 4),
                count("asb.incidents", "category", "ENVIRONMENTAL", AreaType.WARD, "E", "2020-04", 5));

        // E's categories: 4 withheld, next smallest non-zero is 5; E itself stays (9 = 0 + <5 + <5 reveals nothing)
        assertThat(control.apply(table)).containsExactly(
                count("asb.incidents", null, AreaType.DISTRICT, D2, "2020-04", 9),
                ward("E", 9), ward("F", 0),
                count("asb.incidents", "category", "PERSONAL", AreaType.WARD, "E", "2020-04", 0),
                withheld(count("asb.incidents", "category", "NUISANCE", AreaType.WARD, "E", "2020-04", 4)),
                withheld(count("asb.incidents", "category", "ENVIRONMENTAL", AreaType.WARD, "E", "2020-04", 5)));

        final List<AreaMetric> onlyZeros = List.of(
                count("fire.fires", null, AreaType.DISTRICT, D2, "2020-04", 6),
                count("fire.fires", "cause", "DELIBERATE", AreaType.DISTRICT, D2, "2020-04", 6),
                count("fire.fires", "cause", "ACCIDENTAL", AreaType.DISTRICT, D2, "2020-04", 0),
                count("fire.fires", "cause", "NOT_KNOWN", AreaType.DISTRICT, D2, "2020-04", 0));
        final List<AreaMetric> withOneSmall = List.of(
                count("fire.fires", null, AreaType.DISTRICT, D2, "2020-05", 7),
                count("fire.fires", "cause", "DELIBERATE", AreaType.DISTRICT, D2, "2020-05", 3),
                count("fire.fires", "cause", "ACCIDENTAL", AreaType.DISTRICT, D2, "2020-05", 4),
                count("fire.fires", "cause", "NOT_KNOWN", AreaType.DISTRICT, D2, "2020-05", 0));
        assertThat(control.apply(onlyZeros)).isEqualTo(onlyZeros);
        assertThat(control.apply(withOneSmall)).containsExactly(
                count("fire.fires", null, AreaType.DISTRICT, D2, "2020-05", 7),
                withheld(count("fire.fires", "cause", "DELIBERATE", AreaType.DISTRICT, D2, "2020-05", 3)),
                withheld(count("fire.fires", "cause", "ACCIDENTAL", AreaType.DISTRICT, D2, "2020-05", 4)),
                count("fire.fires", "cause", "NOT_KNOWN", AreaType.DISTRICT, D2, "2020-05", 0));

        final List<AreaMetric> totalOnly = List.of(
                count("fire.fires", null, AreaType.DISTRICT, D2, "2020-06", 12),
                count("fire.fires", "cause", "DELIBERATE", AreaType.DISTRICT, D2, "2020-06", 0),
                count("fire.fires", "cause", "ACCIDENTAL", AreaType.DISTRICT, D2, "2020-06", 0),
                count("fire.fires", "cause", "NOT_KNOWN", AreaType.DISTRICT, D2, "2020-06", 12),
                count("fire.fires", null, AreaType.WARD, "E", "2020-06", 3),
                count("fire.fires", null, AreaType.WARD, "F", "2020-06", 0));
        // ward E (3) is withheld; F is 0, so the district (12) must go instead
        assertThat(control.apply(totalOnly)).containsExactly(
                withheld(count("fire.fires", null, AreaType.DISTRICT, D2, "2020-06", 12)),
                count("fire.fires", "cause", "DELIBERATE", AreaType.DISTRICT, D2, "2020-06", 0),
                count("fire.fires", "cause", "ACCIDENTAL", AreaType.DISTRICT, D2, "2020-06", 0),
                withheld(count("fire.fires", "cause", "NOT_KNOWN", AreaType.DISTRICT, D2, "2020-06", 12)),
                withheld(count("fire.fires", null, AreaType.WARD, "E", "2020-06", 3)),
                count("fire.fires", null, AreaType.WARD, "F", "2020-06", 0));
    }

    @Test
    void shouldWithholdTheSameCellsWhateverOrderTheValuesComeIn() {
        // ward A's category PERSONAL (6) is the smallest candidate of A's categories (NUISANCE 3 is
        // withheld) but not of D1's PERSONAL wards (B 2 is withheld, C 5 is smaller): which group is
        // looked at first decides between withholding {A PERSONAL} and {C PERSONAL, A PERSONAL}
        final List<AreaMetric> table = new ArrayList<>(List.of(
                count("asb.incidents", null, AreaType.WARD, "A", "2020-04", 29),
                count("asb.incidents", "category", "PERSONAL", AreaType.WARD, "A", "2020-04", 6),
                count("asb.incidents", "category", "NUISANCE", AreaType.WARD, "A", "2020-04", 3),
                count("asb.incidents", "category", "ENVIRONMENTAL", AreaType.WARD, "A", "2020-04", 20),
                count("asb.incidents", "category", "PERSONAL", AreaType.DISTRICT, D1, "2020-04", 13),
                count("asb.incidents", "category", "PERSONAL", AreaType.WARD, "B", "2020-04", 2),
                count("asb.incidents", "category", "PERSONAL", AreaType.WARD, "C", "2020-04", 5)));
        final Map<MetricCell, Boolean> first = withheldCells(control.apply(table));
        final List<AreaMetric> otherMonth = table.stream()
                .map(metric -> AreaMetric.newBuilder(metric).setPeriod("2020-05").build()).toList();
        final Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            final List<AreaMetric> shuffled = new ArrayList<>(table);
            Collections.shuffle(shuffled, random);
            // another period read alongside must not change this one's result either
            shuffled.addAll(random.nextInt(shuffled.size()), otherMonth);
            final Map<MetricCell, Boolean> again = withheldCells(control.apply(shuffled));
            again.keySet().removeIf(cell -> cell.period().equals("2020-05"));
            assertThat(again).as("withheld cells, order %s", shuffled.stream().map(MetricCell::of).toList())
                    .isEqualTo(first);
        }
        assertThat(first.values()).contains(true);
    }

    private static Map<MetricCell, Boolean> withheldCells(final List<AreaMetric> published) {
        final Map<MetricCell, Boolean> withheld = new HashMap<>();
        published.forEach(metric -> withheld.put(MetricCell.of(metric), metric.getSuppressed()));
        return withheld;
    }

    @Test
    void shouldWithholdSharesAndChangesBuiltOnAWithheldCount() {
        // ward C (9) is withheld by secondary suppression, so its share (9 of 30) must not show it
        final AreaMetric share = AreaMetric.newBuilder(count("asb.ward_share", null, AreaType.WARD, "C", "2020-04", 0))
                .setValue(0.3).setNumerator(9L).setDenominator(30L).build();
        final AreaMetric shareOfD = AreaMetric.newBuilder(share).setAreaCode("D").setValue(0.6).setNumerator(18L)
                .build();
        final AreaMetric change = AreaMetric.newBuilder(count("asb.incidents.change_year", null, AreaType.WARD, "C",
                "2020-04", 0)).setValue(2.0).setNumerator(9L).setDenominator(7L).build();
        final List<AreaMetric> table = List.of(
                count("asb.incidents", null, AreaType.DISTRICT, D1, "2020-04", 30),
                ward("A", 0), ward("B", 3), ward("C", 9), ward("D", 18), share, shareOfD, change);

        assertThat(control.apply(table)).containsExactly(
                count("asb.incidents", null, AreaType.DISTRICT, D1, "2020-04", 30),
                ward("A", 0), withheld(ward("B", 3)), withheld(ward("C", 9)), ward("D", 18),
                withheld(share), shareOfD, withheld(change));
    }

    @Test
    void shouldKeepAProjectionOfEnoughFiresOverFewMonths() {
        final AreaMetric projection = AreaMetric.newBuilder(count("fire.projection", null, AreaType.CSP, CSP,
                "2020/21", 0)).setPeriodType(PeriodType.FINANCIAL_YEAR).setValue(193.09).setNumerator(177L)
                .setDenominator(2L).build();
        final AreaMetric small = AreaMetric.newBuilder(projection).setPeriod("2019/20").setValue(18.0)
                .setNumerator(3L).build();

        assertThat(control.apply(List.of(projection, small))).containsExactly(projection, withheld(small));
    }

    private static AreaMetric ward(final String code, final double value) {
        return count("asb.incidents", null, AreaType.WARD, code, "2020-04", value);
    }

    private static AreaMetric category(final String value, final double count) {
        return count("asb.incidents", "category", value, AreaType.DISTRICT, D1, "2020-04", count);
    }

    private static AreaMetric count(final String metric, final String dimension, final String dimensionValue,
            final AreaType areaType, final String code, final String period, final double value) {
        return AreaMetric.newBuilder().setMetric(metric).setDimension(dimension).setDimensionValue(dimensionValue)
                .setAreaType(areaType).setAreaCode(code).setAreaName("Area " + code).setPeriodType(PeriodType.MONTH)
                .setPeriod(period).setValue(value).setUpdatedAt(java.time.Instant.parse("2021-04-01T06:00:00Z"))
                .build();
    }

    private static AreaMetric count(final String metric, final String dimension, final AreaType areaType,
            final String code, final String period, final double value) {
        return count(metric, dimension, null, areaType, code, period, value);
    }

    private static AreaMetric rate(final String metric, final String district, final String quarter,
            final long numerator, final long denominator) {
        return AreaMetric.newBuilder(count(metric, null, AreaType.DISTRICT, district, quarter, 0))
                .setPeriodType(PeriodType.QUARTER).setValue((double) numerator / denominator)
                .setNumerator(numerator).setDenominator(denominator).build();
    }

    private static AreaMetric withheld(final AreaMetric metric) {
        return AreaMetric.newBuilder(metric).setValue(null).setNumerator(null).setDenominator(null)
                .setSuppressed(true).build();
    }
}
