package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.streams.BatchMetrics.areas;
import static org.csphub.streams.BatchMetrics.assertSame;
import static org.csphub.streams.BatchMetrics.withoutTimes;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
import org.csphub.disclosure.DisclosurePolicy;
import org.csphub.disclosure.FeedDisclosure;
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
    /** The wards the generated records fall in, with their districts. */
    static final List<Area> WARDS = List.of(
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
                assertWithheldAsDeclared(disclosure, family, expected.values());
            }
        }
    }

    /** An open feed without stricter rules withholds nothing; any other withholds some of a generated table. */
    static void assertWithheldAsDeclared(final DisclosureControl disclosure, final String family,
            final Collection<AreaMetric> published) {
        final FeedDisclosure declared = disclosure.disclosures().get(family);
        if (declared.policy() instanceof DisclosurePolicy.Open && declared.stricter().isEmpty()) {
            assertThat(published).as("withheld %s values", family).noneMatch(AreaMetric::getSuppressed);
        } else {
            assertThat(published).as("withheld %s values", family).anyMatch(AreaMetric::getSuppressed);
        }
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

    /**
     * The catalogue of docs/metrics.md computed in one pass over the records, then derived; the records'
     * wards are among {@link #WARDS}.
     */
    static final class Batch {

        /** family → its counts. */
        private final Map<String, BatchMetrics> families = new HashMap<>();

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

        private void count(final String family, final YearMonth month, final List<Object[]> areas,
                final Map<String, String> dims, final Map<String, Long> values) {
            families.computeIfAbsent(family, f -> new BatchMetrics(WARDS)).count(month, areas, dims, values);
        }

        Map<AreaMetricKey, AreaMetric> metrics(final String family) {
            final BatchMetrics batch = families.getOrDefault(family, new BatchMetrics(WARDS));
            final String primary = switch (family) {
                case "asb" -> "asb.incidents";
                case "ambulance" -> "ambulance.callouts";
                case "idva" -> "idva.referrals";
                default -> "fire.incidents";
            };
            // a period is published when the family's main count (fires, for a cause) holds a record; the
            // deliberate fires count only for their share
            return batch.metrics(dimension -> "cause".equals(dimension) ? "fire.fires" : primary,
                    Set.of("fire.deliberate"), (cell, total, metrics) -> {
                        final String dimension = (String) cell.get(1);
                        if (family.equals("idva") && (dimension == null || dimension.equals("strand"))) {
                            batch.putRate(metrics, cell, "idva.engagement_rate", "idva.engaged", total);
                            batch.putRate(metrics, cell, "idva.repeat_rate", "idva.repeats", total);
                        }
                        if (family.equals("fire") && dimension == null) {
                            fire(batch, cell, metrics);
                        }
                        if ((family.equals("asb") || family.equals("ambulance")) && dimension == null) {
                            batch.putWardShare(metrics, cell, primary, family + ".ward_share", total);
                        }
                    });
        }

        /** The share of fires set deliberately, and a financial year's projection outside the wards. */
        private static void fire(final BatchMetrics batch, final List<Object> cell,
                final Map<AreaMetricKey, AreaMetric> metrics) {
            final long fires = batch.counted(BatchMetrics.rename(cell, "fire.fires"));
            final long deliberate = batch.counted(BatchMetrics.rename(cell, "fire.deliberate"));
            batch.put(metrics, cell, "fire.deliberate_share", fires == 0 ? null : (double) deliberate / fires,
                    deliberate, fires);
            if (cell.get(5) == PeriodType.FINANCIAL_YEAR && cell.get(3) != AreaType.WARD) {
                final YearMonth anchor = (YearMonth) cell.get(6);
                int elapsed = 0;
                for (int m = 0; m < 12; m++) {
                    final YearMonth month = anchor.minusMonths(11 - m);
                    if (batch.counted(BatchMetrics.cell("fire.incidents", null, null, cell.get(3), cell.get(4),
                            PeriodType.MONTH, month)) > 0) {
                        elapsed = m + 1;
                    }
                }
                batch.put(metrics, cell, "fire.projection", (double) Math.round(fires * 12.0 / elapsed), fires,
                        (long) elapsed);
            }
        }
    }
}
