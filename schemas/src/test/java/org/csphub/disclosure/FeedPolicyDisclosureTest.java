package org.csphub.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.csphub.contracts.ColumnType;
import org.csphub.contracts.FeedContract;
import org.csphub.geography.District;
import org.csphub.geography.Geography;
import org.csphub.geography.Ward;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Each shipped policy on random tables of one month: records drawn at random over the wards of two
 * districts, counted here by ward, district and partnership, in total and in each breakdown. For every
 * published value: it equals the true value, is withheld, or is the true value rounded as its policy says;
 * no count its policy withholds is shown; and no group of a total and the parts that add up to it has
 * exactly one value withheld, which subtraction would give away.
 */
class FeedPolicyDisclosureTest {

    private static final Geography GEOGRAPHY = Geography.defaults();
    private static final LocalDate DAY = LocalDate.of(2020, 5, 1);
    private static final String MONTH = "2020-05";
    private static final DisclosureControl CONTROL = new DisclosureControl(FeedCatalog.shipped(),
            new DisclosurePolicy.Threshold(5), code -> GEOGRAPHY.wardByCode(code).map(ward -> ward.district().code()));
    private static final Set<String> SEXUAL = Set.of("SEXUAL_OFFENCES", "RAPE", "OTHER_SEXUAL_OFFENCES");

    /** A count to tabulate: its metric, its breakdown dimensions (columns of the contract) and how often a record counts. */
    private record CountSpec(String metric, List<String> columns, double share) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"police-asb", "police-crime", "idva-referrals", "ambulance-callouts"})
    void shouldPublishTrueWithheldOrRoundedValuesAndRevealNothingBySubtraction(final String slug) {
        final FeedContract contract = FeedCatalog.shipped().feed(slug).contract();
        final List<CountSpec> counts = switch (slug) {
            case "police-asb" -> List.of(new CountSpec("asb.incidents", List.of("category"), 1));
            case "police-crime" -> List.of(new CountSpec("crime.offences", List.of("offence_group", "offence_subgroup"),
                    1), new CountSpec("crime.domestic_abuse", List.of("offence_group"), 0.3));
            case "idva-referrals" -> List.of(new CountSpec("idva.referrals", List.of("strand", "risk_level"), 1));
            default -> List.of(new CountSpec("ambulance.callouts", List.of("sex"), 1));
        };
        final Random random = new Random(slug.hashCode());
        int withheldSeen = 0;
        for (int table = 0; table < 150; table++) {
            final Map<MetricCell, Long> truth = tabulate(contract, counts, random, 20 + random.nextInt(400));
            final List<AreaMetric> published = CONTROL.apply(truth.entrySet().stream()
                    .map(entry -> metric(entry.getKey(), entry.getValue())).toList());

            final Map<MetricCell, AreaMetric> byCell = new LinkedHashMap<>();
            published.forEach(metric -> byCell.put(MetricCell.of(metric), metric));
            for (final Map.Entry<MetricCell, Long> entry : truth.entrySet()) {
                final AreaMetric shown = byCell.get(entry.getKey());
                final DisclosurePolicy policy = expectedPolicy(entry.getKey());
                final long value = entry.getValue();
                if (shown.getSuppressed()) {
                    withheldSeen++;
                    assertThat(shown.getValue()).isNull();
                    continue;
                }
                assertThat(policy.withholds(value)).as("%s = %d is shown under %s", entry.getKey(), value, policy)
                        .isFalse();
                final double expected = policy instanceof DisclosurePolicy.Round(int upTo, int base)
                        ? Math.round((double) value / base) * (double) base : value;
                assertThat(shown.getValue()).as("%s = %d", entry.getKey(), value).isEqualTo(expected);
            }
            for (final List<MetricCell> group : groups(contract, truth.keySet())) {
                final long hidden = group.stream().filter(cell -> byCell.get(cell).getSuppressed()).count();
                assertThat(hidden).as("withheld in the group %s", group).isNotEqualTo(1);
            }
        }
        if (contract.disclosure().orElseThrow().policy() instanceof DisclosurePolicy.Open && !slug.equals("police-crime")) {
            assertThat(withheldSeen).as("an open feed withholds nothing").isZero();
        } else {
            assertThat(withheldSeen).as("the tables test what the policy withholds").isPositive();
        }
    }

    @Test
    void shouldWorkRatesSharesAndChangesOutFromTheRoundedCounts() {
        final String ward = GEOGRAPHY.wards(DAY).get(0).code();
        final String district = GEOGRAPHY.wardByCode(ward).orElseThrow().district().code();
        final MetricCell wardCount = new MetricCell("ambulance.callouts", null, null, AreaType.WARD, ward,
                PeriodType.MONTH, MONTH);
        final MetricCell districtCount = wardCount.withArea(AreaType.DISTRICT, district);
        final List<AreaMetric> table = List.of(
                metric(wardCount, 23), metric(districtCount, 148),
                derived(wardCount.withMetric("ambulance.ward_share"), 23.0 / 148, 23, 148),
                metric(wardCount.withPeriod("2020-04"), 12),
                derived(wardCount.withMetric("ambulance.callouts.change_previous"), 11, 23, 12),
                derived(wardCount.withMetric("ambulance.callouts.change_previous_pct"), 11 * 100.0 / 12, 23, 12),
                // a year earlier: 6, which is withheld, and so is the change on it
                metric(wardCount.withPeriod("2019-05"), 6),
                derived(wardCount.withMetric("ambulance.callouts.change_year"), 17, 23, 6));

        final Map<String, AreaMetric> published = CONTROL.apply(table).stream()
                .collect(Collectors.toMap(metric -> metric.getMetric() + " " + metric.getAreaType() + " "
                        + metric.getPeriod(), metric -> metric));

        // 23 → 25 and 148 → 150, as NHS hospital statistics round to 5
        assertThat(published.get("ambulance.callouts WARD 2020-05").getValue()).isEqualTo(25.0);
        assertThat(published.get("ambulance.callouts DISTRICT 2020-05").getValue()).isEqualTo(150.0);
        final AreaMetric share = published.get("ambulance.ward_share WARD 2020-05");
        assertThat(share.getValue()).isEqualTo(25.0 / 150);
        assertThat(List.of(share.getNumerator(), share.getDenominator())).containsExactly(25L, 150L);
        // 12 → 10: the change is 25 − 10, in per cent of 10
        assertThat(published.get("ambulance.callouts.change_previous WARD 2020-05").getValue()).isEqualTo(15.0);
        assertThat(published.get("ambulance.callouts.change_previous_pct WARD 2020-05").getValue()).isEqualTo(150.0);
        assertThat(published.get("ambulance.callouts WARD 2019-05").getSuppressed()).isTrue();
        assertThat(published.get("ambulance.callouts.change_year WARD 2020-05").getSuppressed()).isTrue();
    }

    @Test
    void shouldWithholdACrimeRateByWardWhereItsDomesticAbuseCountIsWithheldButNotByDistrict() {
        final Ward first = GEOGRAPHY.wards(DAY).get(0);
        final Ward second = GEOGRAPHY.wards(first.district(), DAY).stream().filter(ward -> !ward.equals(first))
                .findFirst().orElseThrow();
        final MetricCell firstCell = new MetricCell("crime.domestic_abuse", null, null, AreaType.WARD, first.code(),
                PeriodType.MONTH, MONTH);
        final MetricCell secondCell = firstCell.withArea(AreaType.WARD, second.code());
        final MetricCell districtCell = firstCell.withArea(AreaType.DISTRICT, first.district().code());
        final List<AreaMetric> table = List.of(metric(firstCell, 3), metric(secondCell, 10), metric(districtCell, 13),
                derived(firstCell.withMetric("crime.domestic_abuse_rate"), 3 / 40.0, 3, 40),
                derived(districtCell.withMetric("crime.domestic_abuse_rate"), 13 / 90.0, 13, 90));

        final List<AreaMetric> published = CONTROL.apply(table);

        // the first ward's 3 is withheld below 5, the second ward's 10 so that 13 − 10 does not give it away;
        // the district is open, and so is its rate
        assertThat(published.stream().map(AreaMetric::getSuppressed).toList())
                .containsExactly(true, true, false, true, false);
        assertThat(published.get(2).getValue()).isEqualTo(13.0);
        assertThat(published.get(4).getValue()).isEqualTo(13 / 90.0);
    }

    /** The policy the shipped contracts give a count cell, as their comments state it. */
    private static DisclosurePolicy expectedPolicy(final MetricCell cell) {
        return switch (cell.family()) {
            case "asb" -> new DisclosurePolicy.Open();
            case "idva" -> new DisclosurePolicy.Threshold(5);
            case "ambulance" -> new DisclosurePolicy.Round(7, 5);
            case "crime" -> cell.areaType() == AreaType.WARD && (cell.metric().equals("crime.domestic_abuse")
                    || cell.dimensionValue() != null && SEXUAL.contains(cell.dimensionValue())) ? new DisclosurePolicy.Threshold(5)
                    : new DisclosurePolicy.Open();
            default -> throw new IllegalArgumentException(cell.family());
        };
    }

    /** Counts of random records over the wards of the partnership's first two districts. */
    private static Map<MetricCell, Long> tabulate(final FeedContract contract, final List<CountSpec> counts,
            final Random random, final int records) {
        final List<District> districts = GEOGRAPHY.districts().stream().limit(2).toList();
        final List<Ward> wards = districts.stream().flatMap(district -> GEOGRAPHY.wards(district, DAY).stream())
                .toList();
        final Map<MetricCell, Long> truth = new LinkedHashMap<>();
        for (int i = 0; i < records; i++) {
            // a few wards take most records, so that some cells are small and some are not
            final Ward ward = wards.get(Math.min(wards.size() - 1, (int) Math.abs(random.nextGaussian() * 4)));
            final Map<String, String> values = values(contract, random);
            for (final CountSpec count : counts) {
                if (random.nextDouble() >= count.share()) {
                    continue;
                }
                for (final MetricCell area : List.of(
                        cell(count.metric(), AreaType.WARD, ward.code()),
                        cell(count.metric(), AreaType.DISTRICT, ward.district().code()),
                        cell(count.metric(), AreaType.CSP, GEOGRAPHY.cspCode()))) {
                    truth.merge(area, 1L, Long::sum);
                    for (final String column : count.columns()) {
                        truth.merge(area.withDimension(dimension(contract, column), values.get(column)), 1L, Long::sum);
                    }
                }
            }
        }
        // a count with no record in a cell that has other counts is published as 0
        final Set<MetricCell> keys = Set.copyOf(truth.keySet());
        for (final MetricCell key : keys) {
            counts.forEach(count -> {
                final MetricCell other = key.withMetric(count.metric());
                if (isBrokenDown(count, contract, key.dimension())) {
                    truth.putIfAbsent(other, 0L);
                }
            });
        }
        return truth;
    }

    private static boolean isBrokenDown(final CountSpec count, final FeedContract contract, final String dimension) {
        return dimension == null || count.columns().stream().anyMatch(column -> dimension(contract, column)
                .equals(dimension));
    }

    /** A random value of every enum breakdown column; a grouped column's group follows from its value. */
    private static Map<String, String> values(final FeedContract contract, final Random random) {
        final Map<String, String> values = new LinkedHashMap<>();
        contract.family().breakdowns().forEach(breakdown -> contract.columns().stream()
                .filter(column -> column.name().equals(breakdown.column())).findFirst()
                .ifPresent(column -> {
                    if (column.type() instanceof ColumnType.Enum type) {
                        values.put(column.name(), type.values().get(random.nextInt(type.values().size())));
                    }
                }));
        contract.columns().forEach(column -> {
            if (column.type() instanceof ColumnType.Enum type && type.within().isPresent()
                    && values.containsKey(column.name())) {
                type.within().get().groups().forEach((group, members) -> {
                    if (members.contains(values.get(column.name()))) {
                        values.put(type.within().get().column(), group);
                    }
                });
            }
        });
        return values;
    }

    private static String dimension(final FeedContract contract, final String column) {
        return contract.family().breakdown(column).dimension();
    }

    /**
     * The groups a reader can subtract in: a total and its categories, a category and the categories
     * grouped within it, a district and its wards, the partnership and its districts.
     */
    private static List<List<MetricCell>> groups(final FeedContract contract, final Collection<MetricCell> cells) {
        final List<List<MetricCell>> groups = new ArrayList<>();
        final Map<List<Object>, List<MetricCell>> byKey = new LinkedHashMap<>();
        for (final MetricCell cell : cells) {
            if (!cell.isTotal()) {
                byKey.computeIfAbsent(List.of("categories", cell.metric(), cell.areaType(), cell.areaCode(),
                        cell.dimension()), key -> new ArrayList<>(List.of(cell.withDimension(null, null)))).add(cell);
            }
            if (cell.areaType() != AreaType.CSP) {
                final MetricCell parent = cell.areaType() == AreaType.WARD
                        ? cell.withArea(AreaType.DISTRICT, GEOGRAPHY.wardByCode(cell.areaCode()).orElseThrow()
                                .district().code())
                        : cell.withArea(AreaType.CSP, GEOGRAPHY.cspCode());
                byKey.computeIfAbsent(List.of("areas", parent), key -> new ArrayList<>(List.of(parent))).add(cell);
            }
        }
        contract.columns().forEach(column -> {
            if (column.type() instanceof ColumnType.Enum type && type.within().isPresent()
                    && contract.family().breakdowns().stream().anyMatch(b -> b.column().equals(column.name()))) {
                final String child = dimension(contract, column.name());
                final String parentDimension = dimension(contract, type.within().get().column());
                for (final MetricCell cell : cells) {
                    if (child.equals(cell.dimension())) {
                        type.within().get().groups().forEach((group, members) -> {
                            if (members.contains(cell.dimensionValue())) {
                                final MetricCell parent = cell.withDimension(parentDimension, group);
                                byKey.computeIfAbsent(List.of("nested", parent),
                                        key -> new ArrayList<>(List.of(parent))).add(cell);
                            }
                        });
                    }
                }
            }
        });
        byKey.values().forEach(group -> {
            if (group.stream().allMatch(cells::contains)) {
                groups.add(group);
            }
        });
        return groups.stream().filter(Objects::nonNull).toList();
    }

    private static MetricCell cell(final String metric, final AreaType type, final String code) {
        return new MetricCell(metric, null, null, type, code, PeriodType.MONTH, MONTH);
    }

    private static AreaMetric metric(final MetricCell cell, final long value) {
        return AreaMetric.newBuilder().setMetric(cell.metric()).setDimension(cell.dimension())
                .setDimensionValue(cell.dimensionValue()).setAreaType(cell.areaType()).setAreaCode(cell.areaCode())
                .setAreaName("Area " + cell.areaCode()).setPeriodType(cell.periodType()).setPeriod(cell.period())
                .setValue((double) value).build();
    }

    private static AreaMetric derived(final MetricCell cell, final double value, final long numerator,
            final long denominator) {
        return AreaMetric.newBuilder(metric(cell, 0)).setValue(value).setNumerator(numerator)
                .setDenominator(denominator).build();
    }
}
