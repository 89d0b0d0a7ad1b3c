package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.csphub.config.HubConfig;
import org.csphub.contracts.ColumnType;
import org.csphub.contracts.FeedContract;
import org.csphub.contracts.ShippedContracts;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.disclosure.MetricCell;
import org.csphub.geography.Area;
import org.csphub.geography.Geography;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.Test;

/**
 * A generated year of each feed whose contract ships before the hub runs it (police recorded crime,
 * council needle finds, ED assault attendances), with corrections and retractions, through the family
 * topology its contract builds; every metric it ends up publishing equals a plain batch computation
 * over the latest version of each record, written here from docs/metrics.md alone.
 */
class NewFeedsRecomputationTest {

    private static final String CSP = MetricsTestDriver.CSP_CODE;
    private static final List<Area> WARDS = List.of(
            new Area("E05002709", "Market", "E07000008", "Cambridge", null),
            new Area("E05002712", "Petersfield", "E07000008", "Cambridge", null),
            new Area("E05002714", "Romsey", "E07000008", "Cambridge", null),
            new Area("E05011345", "St Ives East", "E07000011", "Huntingdonshire", null),
            new Area("E05011346", "St Ives West", "E07000011", "Huntingdonshire", null),
            new Area("E05015000", "Central", "E06000031", "Peterborough", null));
    private static final LocalDate START = LocalDate.of(2019, 10, 1);
    private static final List<String> AGE_BANDS = List.of("15-19", "20-24", "25-29", "60-64");

    private final Random random = new Random(20_201_001L);

    @Test
    void shouldPublishTheCrimeFamilyABatchComputationGives() {
        final FeedContract contract = ShippedContracts.of("police-crime");
        final ColumnType.Within tree = ((ColumnType.Enum) contract.column("offence_subgroup").orElseThrow().type())
                .within().orElseThrow();
        final List<String> groups = new ArrayList<>(tree.groups().keySet());
        final Map<String, GenericRecord> crimes = run(contract, "C", id -> {
            final String group = groups.get(random.nextInt(groups.size()));
            final List<String> subgroups = tree.valuesOf(group);
            return record(contract, Map.of("crime_id", id, "recorded_on", day(), "offence_group", group,
                    "offence_subgroup", subgroups.get(random.nextInt(subgroups.size())),
                    "domestic_abuse", random.nextInt(5) == 0, "hate_crime", random.nextInt(12) == 0,
                    "victim_age_band", random.nextInt(4) == 0 ? "" : AGE_BANDS.get(random.nextInt(AGE_BANDS.size())),
                    "area", ward()));
        }, batch -> crime -> {
            final YearMonth month = YearMonth.from(LocalDate.ofEpochDay((Integer) crime.get("recorded_on")));
            final List<Object[]> areas = areas((Area) crime.get("area"));
            final Map<String, Long> all = new LinkedHashMap<>();
            all.put("crime.offences", 1L);
            all.put("crime.domestic_abuse", (Boolean) crime.get("domestic_abuse") ? 1L : 0L);
            all.put("crime.hate_crime", (Boolean) crime.get("hate_crime") ? 1L : 0L);
            batch.count(month, areas, Map.of(), all);
            batch.count(month, areas, Map.of("offence_group", crime.get("offence_group").toString()), all);
            batch.count(month, areas, Map.of("offence_subgroup", crime.get("offence_subgroup").toString()),
                    Map.of("crime.offences", 1L));
            final Object band = crime.get("victim_age_band");
            batch.count(month, areas, Map.of("victim_age_band", band == null ? "UNKNOWN" : band.toString()),
                    Map.of("crime.offences", 1L));
        }, "crime.offences", List.of(new Rate("crime.domestic_abuse_rate", "crime.domestic_abuse")),
                "crime.ward_share");

        // the batch saw crimes of every kind the family counts
        assertThat(crimes.values()).anyMatch(crime -> (Boolean) crime.get("hate_crime"))
                .anyMatch(crime -> crime.get("victim_age_band") == null);
    }

    @Test
    void shouldPublishTheNeedlesFamilyABatchComputationGives() {
        final FeedContract contract = ShippedContracts.of("needle-finds");
        run(contract, "N", id -> record(contract, Map.of("find_id", id, "found_on", day(), "area", ward(),
                "needles", 1 + random.nextInt(random.nextInt(10) == 0 ? 200 : 8))), batch -> find -> {
                    final YearMonth month = YearMonth.from(LocalDate.ofEpochDay((Integer) find.get("found_on")));
                    batch.count(month, areas((Area) find.get("area")), Map.of(),
                            Map.of("needles.finds", 1L, "needles.needles", ((Integer) find.get("needles")).longValue()));
                }, "needles.finds", List.of(), "needles.ward_share");
    }

    @Test
    void shouldPublishTheEdFamilyABatchComputationGivesCountingAttendancesWithoutAnAreaInThePartnershipOnly() {
        final FeedContract contract = ShippedContracts.of("ed-assaults");
        final Map<String, GenericRecord> attendances = run(contract, "E", id -> {
            final Map<String, Object> fields = new HashMap<>(Map.of("attendance_id", id, "attended_on", day(),
                    "sex", List.of("M", "M", "F", "U").get(random.nextInt(4)),
                    "age_band", random.nextInt(6) == 0 ? "" : AGE_BANDS.get(random.nextInt(AGE_BANDS.size()))));
            fields.put("area", random.nextInt(5) == 0 ? null : ward());
            return record(contract, fields);
        }, batch -> attendance -> {
            final YearMonth month = YearMonth.from(LocalDate.ofEpochDay((Integer) attendance.get("attended_on")));
            final List<Object[]> areas = areas((Area) attendance.get("area"));
            final Object band = attendance.get("age_band");
            batch.count(month, areas, Map.of(), Map.of("ed.attendances", 1L));
            batch.count(month, areas, Map.of("sex", attendance.get("sex").toString()), Map.of("ed.attendances", 1L));
            batch.count(month, areas, Map.of("age_band", band == null ? "UNKNOWN" : band.toString()),
                    Map.of("ed.attendances", 1L));
        }, "ed.attendances", List.of(), "ed.ward_share");

        assertThat(attendances.values()).anyMatch(attendance -> attendance.get("area") == null)
                .anyMatch(attendance -> attendance.get("area") != null);
    }

    /** A rate of the family's first count in the total: {@code numerator} over the first count. */
    private record Rate(String name, String numerator) {
    }

    /**
     * Sends a year of {@code contract}'s records, a quarter of them later corrected or retracted, and
     * checks the family's metric and published topics against {@code batch}'s computation over the
     * latest records; gives the latest records.
     */
    private Map<String, GenericRecord> run(final FeedContract contract, final String prefix,
            final Function<String, GenericRecord> maker, final Function<Batch, java.util.function.Consumer<GenericRecord>> adder,
            final String primary, final List<Rate> rates, final String wardShare) {
        final Map<String, GenericRecord> current = new LinkedHashMap<>();
        final String metrics = contract.family().topic();
        // the year arrives as a backlog, as in a replay: see RecomputationTest
        try (ContractFamilyTestDriver driver = new ContractFamilyTestDriver(contract,
                Instant.parse("2030-01-01T00:00:00Z"))) {
            Instant at = Instant.parse("2021-04-02T08:00:00Z");
            for (int i = 0; i < 200; i++) {
                at = at.plusSeconds(7);
                final boolean change = i > 30 && random.nextInt(100) < 25;
                final boolean retract = change && random.nextInt(100) < 30;
                final String id = change ? new ArrayList<>(current.keySet()).get(random.nextInt(current.size()))
                        : prefix + (current.size() + 1000 * random.nextInt(1000));
                if (retract) {
                    current.remove(id);
                    driver.pipe(id, null, at);
                } else {
                    final GenericRecord record = maker.apply(id);
                    current.put(id, record);
                    driver.pipe(id, record, at);
                }
            }
            final Batch batch = new Batch();
            current.values().forEach(adder.apply(batch));
            final Map<AreaMetricKey, AreaMetric> computed = batch.metrics(primary, rates, wardShare);

            assertSame(withoutTimes(driver.latest(metrics)), computed);
            final Map<AreaMetricKey, AreaMetric> published = new LinkedHashMap<>();
            DisclosureControl.of(HubConfig.defaultsOnly(), Geography.defaults()).apply(computed.values())
                    .forEach(metric -> published.put(MetricCell.of(metric).toKey(), metric));
            assertSame(withoutTimes(driver.latest(Topics.publishedTopicOf(metrics))), published);
            assertThat(published.values()).as("withheld values").anyMatch(AreaMetric::getSuppressed);
        }
        return current;
    }

    private int day() {
        return (int) START.plusDays(random.nextInt(366)).toEpochDay();
    }

    private Area ward() {
        return WARDS.get(random.nextInt(WARDS.size()));
    }

    /** A record of the contract's schema; an enum by its symbol, a blank string as null. */
    private static GenericRecord record(final FeedContract contract, final Map<String, Object> fields) {
        final Schema schema = contract.avroSchema();
        final GenericData.Record record = new GenericData.Record(schema);
        fields.forEach((name, value) -> {
            final Schema type = schema.getField(name).schema();
            final Schema branch = type.isUnion() ? type.getTypes().get(1) : type;
            if ("".equals(value) || value == null) {
                record.put(name, null);
            } else if (branch.getType() == Schema.Type.ENUM) {
                record.put(name, new GenericData.EnumSymbol(branch, (String) value));
            } else {
                record.put(name, value);
            }
        });
        record.put("received_at", Records.RECEIVED.toEpochMilli());
        return record;
    }

    /** The areas a record counts in: its ward and district when it has an area, and the partnership. */
    private static List<Object[]> areas(final Area area) {
        final List<Object[]> areas = new ArrayList<>();
        if (area != null) {
            areas.add(new Object[] {AreaType.WARD, area.getWardCode(), area.getWardName()});
            areas.add(new Object[] {AreaType.DISTRICT, area.getDistrictCode(), area.getDistrictName()});
        }
        areas.add(new Object[] {AreaType.CSP, CSP, MetricsTestDriver.CSP_NAME});
        return areas;
    }

    /** Equal maps, or the first differences. */
    private static void assertSame(final Map<AreaMetricKey, AreaMetric> published,
            final Map<AreaMetricKey, AreaMetric> computed) {
        final List<String> differences = new ArrayList<>();
        computed.forEach((key, value) -> {
            if (!value.equals(published.get(key))) {
                differences.add("computed " + value + " but published " + published.get(key));
            }
        });
        published.forEach((key, value) -> {
            if (!computed.containsKey(key)) {
                differences.add("published " + value + " but computed nothing");
            }
        });
        assertThat(differences.subList(0, Math.min(10, differences.size()))).as(differences.size() + " differences")
                .isEmpty();
        assertThat(published).isNotEmpty();
    }

    private static Map<AreaMetricKey, AreaMetric> withoutTimes(final Map<AreaMetricKey, AreaMetric> metrics) {
        final Map<AreaMetricKey, AreaMetric> copy = new HashMap<>();
        metrics.forEach((key, value) -> copy.put(key, AreaMetric.newBuilder(value).setUpdatedAt(null).build()));
        return copy;
    }

    /** One family's counts in one pass over the records, then its metrics as docs/metrics.md defines them. */
    private static final class Batch {

        /** cell (metric, dimension, value, area type, area code, period type, anchor month) → count. */
        private final Map<List<Object>, Long> counts = new HashMap<>();
        private final Map<List<Object>, String> names = new HashMap<>();

        /** Adds to every cell of the month: each period type, each area, the breakdown or (empty map) the total. */
        void count(final YearMonth month, final List<Object[]> areas, final Map<String, String> dims,
                final Map<String, Long> values) {
            final String dimension = dims.isEmpty() ? null : dims.keySet().iterator().next();
            final String value = dims.isEmpty() ? null : dims.get(dimension);
            for (final Object[] area : areas) {
                for (final PeriodType type : PeriodType.values()) {
                    for (final YearMonth anchor : anchorsOf(type, month)) {
                        values.forEach((metric, add) -> {
                            counts.merge(cell(metric, dimension, value, area[0], area[1], type, anchor), add, Long::sum);
                            names.put(List.of(area[0], area[1]), (String) area[2]);
                        });
                    }
                }
            }
        }

        private static List<Object> cell(final String metric, final String dimension, final String value,
                final Object areaType, final Object areaCode, final PeriodType type, final YearMonth anchor) {
            return Arrays.asList(metric, dimension, value, areaType, areaCode, type, anchor);
        }

        /** The anchor (last month, or end month of a rolling window) of each period holding {@code month}. */
        private static List<YearMonth> anchorsOf(final PeriodType type, final YearMonth month) {
            final int fyOffset = Math.floorMod(month.getMonthValue() - 4, 12);
            return switch (type) {
                case MONTH -> List.of(month);
                case QUARTER -> List.of(month.plusMonths(2 - fyOffset % 3));
                case FINANCIAL_YEAR -> List.of(month.plusMonths(11 - fyOffset));
                case ROLLING_12M -> IntStream.range(0, 12).mapToObj(month::plusMonths).toList();
            };
        }

        private static String label(final PeriodType type, final YearMonth anchor) {
            final int fyStart = anchor.getMonthValue() >= 4 ? anchor.getYear() : anchor.getYear() - 1;
            final String fy = fyStart + "/" + String.format("%02d", (fyStart + 1) % 100);
            return switch (type) {
                case MONTH -> anchor.toString();
                case QUARTER -> fy + " Q" + (Math.floorMod(anchor.getMonthValue() - 4, 12) / 3 + 1);
                case FINANCIAL_YEAR -> fy;
                case ROLLING_12M -> "12m to " + anchor;
            };
        }

        /**
         * Each count with its changes on the previous period and on the year before, where the first count
         * holds a record; the rates in the total; a ward's share of its district's first count.
         */
        Map<AreaMetricKey, AreaMetric> metrics(final String primary, final List<Rate> rates, final String wardShare) {
            final Map<AreaMetricKey, AreaMetric> metrics = new HashMap<>();
            final Map<List<Object>, Map<String, Long>> byPlace = new HashMap<>();
            counts.forEach((cell, count) -> byPlace.computeIfAbsent(new ArrayList<>(cell.subList(1, 7)),
                    place -> new HashMap<>()).put((String) cell.get(0), count));
            for (final Map.Entry<List<Object>, Long> entry : counts.entrySet()) {
                final List<Object> cell = entry.getKey();
                if (entry.getValue() == 0 || !cell.get(0).equals(primary)) {
                    continue;
                }
                final PeriodType type = (PeriodType) cell.get(5);
                final YearMonth anchor = (YearMonth) cell.get(6);
                for (final Map.Entry<String, Long> same : byPlace.get(cell.subList(1, 7)).entrySet()) {
                    final String name = same.getKey();
                    final List<Object> other = rename(cell, name);
                    final long now = same.getValue();
                    put(metrics, cell, name, now * 1.0, null, null);
                    final YearMonth previousAnchor = switch (type) {
                        case MONTH, ROLLING_12M -> anchor.minusMonths(1);
                        case QUARTER -> anchor.minusMonths(3);
                        case FINANCIAL_YEAR -> anchor.minusMonths(12);
                    };
                    final long previous = counts.getOrDefault(with(other, previousAnchor), 0L);
                    final long yearBefore = counts.getOrDefault(with(other, anchor.minusMonths(12)), 0L);
                    put(metrics, cell, name + ".change_previous", (double) (now - previous), now, previous);
                    put(metrics, cell, name + ".change_previous_pct",
                            previous == 0 ? null : (now - previous) * 100.0 / previous, now, previous);
                    put(metrics, cell, name + ".change_year", (double) (now - yearBefore), now, yearBefore);
                    put(metrics, cell, name + ".change_year_pct",
                            yearBefore == 0 ? null : (now - yearBefore) * 100.0 / yearBefore, now, yearBefore);
                }
                final long total = entry.getValue();
                if (cell.get(1) != null) {
                    continue;
                }
                for (final Rate rate : rates) {
                    final long part = counts.getOrDefault(rename(cell, rate.numerator()), 0L);
                    put(metrics, cell, rate.name(), (double) part / total, part, total);
                }
                if (cell.get(3) == AreaType.WARD) {
                    final Object district = WARDS.stream().filter(ward -> ward.getWardCode().equals(cell.get(4)))
                            .findFirst().orElseThrow().getDistrictCode();
                    final long districtCount = counts.get(cell(primary, null, null, AreaType.DISTRICT, district,
                            type, anchor));
                    put(metrics, cell, wardShare, (double) total / districtCount, total, districtCount);
                }
            }
            return metrics;
        }

        private static List<Object> with(final List<Object> cell, final YearMonth anchor) {
            final List<Object> copy = new ArrayList<>(cell);
            copy.set(6, anchor);
            return copy;
        }

        private static List<Object> rename(final List<Object> cell, final String metric) {
            final List<Object> copy = new ArrayList<>(cell);
            copy.set(0, metric);
            return copy;
        }

        private void put(final Map<AreaMetricKey, AreaMetric> metrics, final List<Object> cell, final String metric,
                final Double value, final Long numerator, final Long denominator) {
            final AreaType areaType = (AreaType) cell.get(3);
            final String areaCode = (String) cell.get(4);
            final PeriodType type = (PeriodType) cell.get(5);
            final String period = label(type, (YearMonth) cell.get(6));
            final AreaMetricKey key = new AreaMetricKey(metric, (String) cell.get(1), (String) cell.get(2), areaType,
                    areaCode, type, period);
            metrics.put(key, new AreaMetric(metric, (String) cell.get(1), (String) cell.get(2), areaType, areaCode,
                    names.get(List.of(areaType, areaCode)), type, period, value, numerator, denominator, false, null));
        }
    }
}
