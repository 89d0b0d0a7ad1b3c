package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.feeds.ambulance.Sex;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.feeds.fire.FireCause;
import org.csphub.feeds.fire.FireIncident;
import org.csphub.feeds.fire.FireIncidentType;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.feeds.idva.IdvaStrand;
import org.csphub.feeds.idva.RiskLevel;
import org.csphub.geography.Area;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.topics.Topics;
import org.csphub.config.HubConfig;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.disclosure.MetricCell;
import org.csphub.geography.Geography;
import org.junit.jupiter.api.Test;

/**
 * A generated year of all four feeds, with corrections and retractions, through the topology; every
 * metric it ends up publishing equals a plain batch computation over the latest version of each
 * record, written here from the metric catalogue alone.
 */
class RecomputationTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final String CSP = MetricsTestDriver.CSP_CODE;
    private static final List<Area> WARDS = List.of(
            new Area("E05013050", "Abbey", "E07000008", "Cambridge", null),
            new Area("E05013051", "Arbury", "E07000008", "Cambridge", null),
            new Area("E05013052", "Castle", "E07000008", "Cambridge", null),
            new Area("E05011345", "St Ives East", "E07000011", "Huntingdonshire", null),
            new Area("E05011346", "St Ives West", "E07000011", "Huntingdonshire", null),
            new Area("E05015000", "Central", "E06000031", "Peterborough", null));
    private static final Instant START = Instant.parse("2020-04-01T00:00:00Z");

    private final Random random = new Random(20_200_401L);
    private final Map<String, AsbIncident> asb = new LinkedHashMap<>();
    private final Map<String, AmbulanceCallout> ambulance = new LinkedHashMap<>();
    private final Map<String, IdvaReferral> idva = new LinkedHashMap<>();
    private final Map<String, FireIncident> fire = new LinkedHashMap<>();

    @Test
    void shouldPublishExactlyWhatABatchComputationOverTheLatestRecordsGives() {
        // the year arrives as a backlog (its records are old by the wall clock), as in a replay: each
        // stage holds its changes and passes them on coalesced, as it does with a real catch-up
        try (MetricsTestDriver driver = new MetricsTestDriver(true, Instant.parse("2030-01-01T00:00:00Z"))) {
            Instant at = Instant.parse("2021-04-02T08:00:00Z");
            for (int i = 0; i < 260; i++) {
                at = at.plusSeconds(7);
                final int feed = random.nextInt(4);
                final boolean change = i > 30 && random.nextInt(100) < 25;
                final boolean retract = change && random.nextInt(100) < 30;
                switch (feed) {
                    case 0 -> send(asb, "A", change, retract, this::asbIncident, (id, value, time) -> driver.asb(id, value, time), at);
                    case 1 -> send(ambulance, "C", change, retract, this::callout, (id, value, time) -> driver.ambulance(id, value, time), at);
                    case 2 -> send(idva, "R", change, retract, this::referral, (id, value, time) -> driver.idva(id, value, time), at);
                    default -> send(fire, "F", change, retract, this::fireIncident, (id, value, time) -> driver.fire(id, value, time), at);
                }
            }
            final Batch batch = new Batch();
            asb.values().forEach(batch::asb);
            ambulance.values().forEach(batch::ambulance);
            idva.values().forEach(referral -> batch.idva(referral, isRepeat(referral)));
            fire.values().forEach(batch::fire);

            assertSame(withoutTimes(driver.latest("csp.metrics.asb")), batch.metrics("asb"));
            assertSame(withoutTimes(driver.latest("csp.metrics.ambulance")), batch.metrics("ambulance"));
            assertSame(withoutTimes(driver.latest("csp.metrics.idva")), batch.metrics("idva"));
            assertSame(withoutTimes(driver.latest("csp.metrics.fire")), batch.metrics("fire"));

            // the research group's topics: disclosure control over the whole of each family's table
            final DisclosureControl disclosure = DisclosureControl.of(HubConfig.defaultsOnly(), Geography.defaults());
            for (final String family : List.of("asb", "ambulance", "idva", "fire")) {
                final Map<AreaMetricKey, AreaMetric> expected = new LinkedHashMap<>();
                disclosure.apply(batch.metrics(family).values())
                        .forEach(metric -> expected.put(MetricCell.of(metric).toKey(), metric));
                assertSame(withoutTimes(driver.latest(Topics.PUBLISHED_PREFIX + family)), expected);
                assertThat(expected.values()).as("withheld %s values", family).anyMatch(AreaMetric::getSuppressed);
            }
        }
    }

    /** Equal maps, or the first differences (a whole-map message would run to megabytes). */
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

    private interface Sender<T> {
        void send(String id, T value, Instant at);
    }

    private interface Maker<T> {
        T make(String id);
    }

    private <T> void send(final Map<String, T> current, final String prefix, final boolean change,
            final boolean retract, final Maker<T> maker, final Sender<T> sender, final Instant at) {
        final String id;
        if (change && !current.isEmpty()) {
            id = new ArrayList<>(current.keySet()).get(random.nextInt(current.size()));
        } else {
            id = prefix + (current.size() + 1000 * random.nextInt(1000));
        }
        if (retract && current.containsKey(id)) {
            current.remove(id);
            sender.send(id, null, at);
        } else {
            final T value = maker.make(id);
            current.put(id, value);
            sender.send(id, value, at);
        }
    }

    private Instant when() {
        return START.plusSeconds(random.nextLong(365L * 24 * 3600));
    }

    private Area ward() {
        return WARDS.get(random.nextInt(WARDS.size()));
    }

    private AsbIncident asbIncident(final String id) {
        return new AsbIncident(id, when(), AsbCategory.values()[random.nextInt(3)], ward(), Records.RECEIVED, null);
    }

    private AmbulanceCallout callout(final String id) {
        final List<String> bands = List.of("15-19", "20-24", "25-29");
        return new AmbulanceCallout(id, when(), ward(), Sex.values()[random.nextInt(3)],
                random.nextInt(5) == 0 ? null : bands.get(random.nextInt(bands.size())), Records.RECEIVED, null);
    }

    private IdvaReferral referral(final String id) {
        final Area ward = ward();
        return new IdvaReferral(id, LocalDate.ofInstant(when(), LONDON),
                new Area(null, null, ward.getDistrictCode(), ward.getDistrictName(), null),
                IdvaStrand.values()[random.nextInt(5)], null, RiskLevel.values()[random.nextInt(3)],
                random.nextBoolean(), "client-" + random.nextInt(40), random.nextBoolean(), random.nextInt(4) == 0,
                random.nextInt(6) == 0, Records.RECEIVED, null);
    }

    private FireIncident fireIncident(final String id) {
        final Area ward = ward();
        final Area area = random.nextInt(4) == 0
                ? new Area(null, null, ward.getDistrictCode(), ward.getDistrictName(), null) : ward;
        return new FireIncident(id, when(), FireIncidentType.values()[random.nextInt(5)],
                FireCause.values()[random.nextInt(3)], area, Records.RECEIVED, null);
    }

    /** SafeLives' repeat: another referral of the client within the year before (same day: the smaller id first). */
    private boolean isRepeat(final IdvaReferral referral) {
        final LocalDate date = referral.getReferredOn();
        return idva.values().stream().anyMatch(other -> other != referral
                && other.getClientHash().equals(referral.getClientHash())
                && !other.getReferredOn().isBefore(date.minusYears(1))
                && (other.getReferredOn().isBefore(date) || other.getReferredOn().equals(date)
                        && other.getReferralId().compareTo(referral.getReferralId()) < 0));
    }

    private static Map<AreaMetricKey, AreaMetric> withoutTimes(final Map<AreaMetricKey, AreaMetric> metrics) {
        final Map<AreaMetricKey, AreaMetric> copy = new HashMap<>();
        metrics.forEach((key, value) -> copy.put(key, AreaMetric.newBuilder(value).setUpdatedAt(null).build()));
        return copy;
    }

    /** The catalogue of docs/metrics.md computed in one pass over the records, then derived. */
    private static final class Batch {

        /** family → cell (metric, dimension, value, area type, area code, period type, anchor month) → count. */
        private final Map<String, Map<List<Object>, Long>> counts = new HashMap<>();
        private final Map<List<Object>, String> names = new HashMap<>();

        void asb(final AsbIncident incident) {
            final YearMonth month = YearMonth.from(incident.getReportedAt().atZone(LONDON));
            final Map<String, String> dims = Map.of("category", incident.getCategory().name());
            count("asb", month, areas(incident.getArea()), Map.of(), Map.of("asb.incidents", 1L));
            count("asb", month, areas(incident.getArea()), dims, Map.of("asb.incidents", 1L));
        }

        void ambulance(final AmbulanceCallout callout) {
            final YearMonth month = YearMonth.from(callout.getCalledAt().atZone(LONDON));
            final Map<String, String> dims = Map.of("sex", callout.getSex().name(), "age_band",
                    callout.getAgeBand() == null ? "UNKNOWN" : callout.getAgeBand());
            count("ambulance", month, areas(callout.getArea()), Map.of(), Map.of("ambulance.callouts", 1L));
            count("ambulance", month, areas(callout.getArea()), dims, Map.of("ambulance.callouts", 1L));
        }

        void idva(final IdvaReferral referral, final boolean repeat) {
            final YearMonth month = YearMonth.from(referral.getReferredOn());
            final List<Object[]> areas = areas(referral.getArea());
            final Map<String, Long> all = new LinkedHashMap<>();
            all.put("idva.referrals", 1L);
            all.put("idva.engaged", referral.getEngaged() ? 1L : 0L);
            all.put("idva.repeats", repeat ? 1L : 0L);
            final Map<String, Long> totalOnly = new LinkedHashMap<>(all);
            totalOnly.put("idva.high_risk", referral.getRiskLevel() == RiskLevel.HIGH ? 1L : 0L);
            totalOnly.put("idva.medium_risk", referral.getRiskLevel() == RiskLevel.MEDIUM ? 1L : 0L);
            totalOnly.put("idva.male", referral.getMale() ? 1L : 0L);
            totalOnly.put("idva.disability", referral.getDisability() ? 1L : 0L);
            totalOnly.put("idva.lgbt", referral.getLgbt() ? 1L : 0L);
            count("idva", month, areas, Map.of(), totalOnly);
            count("idva", month, areas, Map.of("strand", referral.getStrand().name()), all);
            count("idva", month, areas, Map.of("risk_level", referral.getRiskLevel().name()),
                    Map.of("idva.referrals", 1L));
        }

        void fire(final FireIncident incident) {
            final YearMonth month = YearMonth.from(incident.getOccurredAt().atZone(LONDON));
            final List<Object[]> areas = areas(incident.getArea());
            final boolean isFire = incident.getIncidentType() == FireIncidentType.PRIMARY_FIRE
                    || incident.getIncidentType() == FireIncidentType.SECONDARY_FIRE
                    || incident.getIncidentType() == FireIncidentType.CHIMNEY_FIRE;
            final long deliberate = isFire && incident.getCause() == FireCause.DELIBERATE ? 1 : 0;
            count("fire", month, areas, Map.of(), Map.of("fire.incidents", 1L, "fire.fires", isFire ? 1L : 0L,
                    "fire.deliberate", deliberate));
            count("fire", month, areas, Map.of("incident_type", incident.getIncidentType().name()),
                    Map.of("fire.incidents", 1L));
            if (isFire) {
                count("fire", month, areas, Map.of("cause", incident.getCause().name()), Map.of("fire.fires", 1L));
            }
        }

        private static List<Object[]> areas(final Area area) {
            final List<Object[]> areas = new ArrayList<>();
            if (area.getWardCode() != null) {
                areas.add(new Object[] {AreaType.WARD, area.getWardCode(), area.getWardName()});
            }
            areas.add(new Object[] {AreaType.DISTRICT, area.getDistrictCode(), area.getDistrictName()});
            areas.add(new Object[] {AreaType.CSP, CSP, MetricsTestDriver.CSP_NAME});
            return areas;
        }

        /** Adds to every cell of the month: each period type, each area, the breakdown or (empty map) the total. */
        private void count(final String family, final YearMonth month, final List<Object[]> areas,
                final Map<String, String> dims, final Map<String, Long> values) {
            final String dimension = dims.isEmpty() ? null : dims.keySet().iterator().next();
            final String value = dims.isEmpty() ? null : dims.get(dimension);
            if (dims.size() > 1) {
                dims.forEach((name, v) -> count(family, month, areas, Map.of(name, v), values));
                return;
            }
            for (final Object[] area : areas) {
                for (final PeriodType type : PeriodType.values()) {
                    for (final YearMonth anchor : anchorsOf(type, month)) {
                        values.forEach((metric, add) -> {
                            final List<Object> cell = cell(metric, dimension, value, area[0], area[1], type, anchor);
                            counts.computeIfAbsent(family, f -> new HashMap<>()).merge(cell, add, Long::sum);
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

        Map<AreaMetricKey, AreaMetric> metrics(final String family) {
            final Map<List<Object>, Long> cells = counts.getOrDefault(family, Map.of());
            final Map<AreaMetricKey, AreaMetric> metrics = new HashMap<>();
            final String primary = switch (family) {
                case "asb" -> "asb.incidents";
                case "ambulance" -> "ambulance.callouts";
                case "idva" -> "idva.referrals";
                default -> "fire.incidents";
            };
            // every count of one breakdown, area and period, by metric
            final Map<List<Object>, Map<String, Long>> byPlace = new HashMap<>();
            cells.forEach((cell, count) -> byPlace.computeIfAbsent(new ArrayList<>(cell.subList(1, 7)),
                    place -> new HashMap<>()).put((String) cell.get(0), count));
            for (final Map.Entry<List<Object>, Long> entry : cells.entrySet()) {
                final List<Object> cell = entry.getValue() > 0 ? entry.getKey() : null;
                if (cell == null) {
                    continue;
                }
                final String metric = (String) cell.get(0);
                final String dimension = (String) cell.get(1);
                final boolean fireCause = "cause".equals(dimension);
                // a period is published when the family's main count (fires, for a cause) holds a record
                if (!metric.equals(fireCause ? "fire.fires" : primary)) {
                    continue;
                }
                final PeriodType type = (PeriodType) cell.get(5);
                final YearMonth anchor = (YearMonth) cell.get(6);
                for (final Map.Entry<String, Long> same : byPlace.get(cell.subList(1, 7)).entrySet()) {
                    final String name = same.getKey();
                    if (name.equals("fire.deliberate")) {
                        continue;
                    }
                    final List<Object> other = rename(cell, name);
                    final long now = same.getValue();
                    put(metrics, cell, name, now * 1.0, null, null);
                    final YearMonth previousAnchor = switch (type) {
                        case MONTH, ROLLING_12M -> anchor.minusMonths(1);
                        case QUARTER -> anchor.minusMonths(3);
                        case FINANCIAL_YEAR -> anchor.minusMonths(12);
                    };
                    final long previous = cells.getOrDefault(with(other, previousAnchor), 0L);
                    final long yearBefore = cells.getOrDefault(with(other, anchor.minusMonths(12)), 0L);
                    put(metrics, cell, name + ".change_previous", (double) (now - previous), now, previous);
                    put(metrics, cell, name + ".change_previous_pct",
                            previous == 0 ? null : (now - previous) * 100.0 / previous, now, previous);
                    put(metrics, cell, name + ".change_year", (double) (now - yearBefore), now, yearBefore);
                    put(metrics, cell, name + ".change_year_pct",
                            yearBefore == 0 ? null : (now - yearBefore) * 100.0 / yearBefore, now, yearBefore);
                }
                final long total = entry.getValue();
                if (family.equals("idva") && (dimension == null || dimension.equals("strand"))) {
                    final long engaged = cells.getOrDefault(rename(cell, "idva.engaged"), 0L);
                    final long repeats = cells.getOrDefault(rename(cell, "idva.repeats"), 0L);
                    put(metrics, cell, "idva.engagement_rate", (double) engaged / total, engaged, total);
                    put(metrics, cell, "idva.repeat_rate", (double) repeats / total, repeats, total);
                }
                if (family.equals("fire") && dimension == null) {
                    final long fires = cells.getOrDefault(rename(cell, "fire.fires"), 0L);
                    final long deliberate = cells.getOrDefault(rename(cell, "fire.deliberate"), 0L);
                    put(metrics, cell, "fire.deliberate_share", fires == 0 ? null : (double) deliberate / fires,
                            deliberate, fires);
                    if (type == PeriodType.FINANCIAL_YEAR && cell.get(3) != AreaType.WARD) {
                        int elapsed = 0;
                        for (int m = 0; m < 12; m++) {
                            final YearMonth month = anchor.minusMonths(11 - m);
                            if (cells.getOrDefault(cell("fire.incidents", null, null, cell.get(3), cell.get(4),
                                    PeriodType.MONTH, month), 0L) > 0) {
                                elapsed = m + 1;
                            }
                        }
                        put(metrics, cell, "fire.projection", (double) Math.round(fires * 12.0 / elapsed), fires,
                                (long) elapsed);
                    }
                }
                if ((family.equals("asb") || family.equals("ambulance")) && dimension == null
                        && cell.get(3) == AreaType.WARD) {
                    final Object district = WARDS.stream().filter(ward -> ward.getWardCode().equals(cell.get(4)))
                            .findFirst().orElseThrow().getDistrictCode();
                    final long districtCount = cells.get(cell(primary, null, null, AreaType.DISTRICT, district,
                            type, anchor));
                    put(metrics, cell, family + ".ward_share", (double) total / districtCount, total, districtCount);
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
