package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.streams.BatchMetrics.areas;
import static org.csphub.streams.BatchMetrics.assertSame;
import static org.csphub.streams.BatchMetrics.withoutTimes;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
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
import org.csphub.topics.Topics;
import org.junit.jupiter.api.Test;

/**
 * A generated year of each feed whose contract ships before the hub runs it (police recorded crime,
 * council needle finds, ED assault attendances), with corrections and retractions, through the family
 * topology its contract builds; every metric it ends up publishing equals a plain batch computation
 * over the latest version of each record, written here from docs/metrics.md alone.
 */
class NewFeedsRecomputationTest {

    private static final List<Area> WARDS = List.of(
            new Area("E05002709", "Market", "E07000008", "Cambridge", null),
            new Area("E05002712", "Petersfield", "E07000008", "Cambridge", null),
            new Area("E05002714", "Romsey", "E07000008", "Cambridge", null),
            new Area("E05011269", "St Ives East", "E07000011", "Huntingdonshire", null),
            new Area("E05011271", "St Ives West", "E07000011", "Huntingdonshire", null),
            new Area("E05010807", "Central", "E06000031", "Peterborough", null));
    private static final PopulationFile POPULATION = new PopulationFile();
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
        }, "crime.offences", List.of(new Rate("crime.domestic_abuse_rate", "crime.domestic_abuse")),
                List.of(new PerThousand("crime.hate_crime_per_1000", "crime.hate_crime")), "crime.ward_share");

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
                }, "needles.finds", List.of(), List.of(), "needles.ward_share");
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
        }, "ed.attendances", List.of(), List.of(), "ed.ward_share");

        assertThat(attendances.values()).anyMatch(attendance -> attendance.get("area") == null)
                .anyMatch(attendance -> attendance.get("area") != null);
    }

    /** A rate of the family's first count in the total: {@code numerator} over the first count. */
    private record Rate(String name, String numerator) {
    }

    /** A count per 1,000 residents in the total: {@code count} × 1,000 over the area's residents. */
    private record PerThousand(String name, String count) {
    }

    /**
     * Sends a year of {@code contract}'s records, a quarter of them later corrected or retracted, and
     * checks the family's metric and published topics against {@code batch}'s computation over the
     * latest records; gives the latest records.
     */
    private Map<String, GenericRecord> run(final FeedContract contract, final String prefix,
            final Function<String, GenericRecord> maker, final Function<BatchMetrics, Consumer<GenericRecord>> adder,
            final String primary, final List<Rate> rates, final List<PerThousand> perThousand,
            final String wardShare) {
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
            final BatchMetrics batch = new BatchMetrics(WARDS);
            current.values().forEach(adder.apply(batch));
            // each count with its changes where the first count holds a record; the rates and counts per
            // 1,000 residents in the total; a ward's share of its district's first count
            final Map<AreaMetricKey, AreaMetric> computed = batch.metrics(dimension -> primary, Set.of(),
                    (cell, total, into) -> {
                        if (cell.get(1) == null) {
                            rates.forEach(rate -> batch.putRate(into, cell, rate.name(), rate.numerator(), total));
                            perThousand.forEach(rate -> batch.putPerThousand(into, cell, rate.name(), rate.count(),
                                    POPULATION));
                            batch.putWardShare(into, cell, primary, wardShare, total);
                        }
                    });

            assertSame(withoutTimes(driver.latest(metrics)), computed);
            final Map<AreaMetricKey, AreaMetric> published = new LinkedHashMap<>();
            final DisclosureControl control = DisclosureControl.of(HubConfig.defaultsOnly(), Geography.defaults());
            control.apply(computed.values()).forEach(metric -> published.put(MetricCell.of(metric).toKey(), metric));
            assertSame(withoutTimes(driver.latest(Topics.publishedTopicOf(metrics))), published);
            RecomputationTest.assertWithheldAsDeclared(control,
                    MetricCell.of(computed.values().iterator().next()).family(), published.values());
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
}
