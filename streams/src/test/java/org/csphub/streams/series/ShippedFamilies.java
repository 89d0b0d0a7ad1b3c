package org.csphub.streams.series;

import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.feeds.fire.FireCause;
import org.csphub.feeds.fire.FireIncident;
import org.csphub.feeds.fire.FireIncidentType;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.feeds.idva.RiskLevel;
import org.csphub.geography.Area;
import org.csphub.metrics.AreaType;
import org.csphub.streams.periods.Periods;
import org.csphub.topics.Topics;

/**
 * The metric families of the four shipped feeds and what each record adds to them, written out by
 * hand from docs/metrics.md: what the feeds' contract files must give, and what the hub computed
 * before its families were read from contracts.
 */
public final class ShippedFamilies {

    private static final Set<String> TOTAL = Set.of(MetricFamily.TOTAL);

    private ShippedFamilies() {
    }

    public static MetricFamily asb(final String cspCode, final String cspName) {
        return new MetricFamily("asb", "csp.metrics.asb", List.of(AreaType.WARD, AreaType.DISTRICT, AreaType.CSP),
                List.of("category"),
                List.of(new MetricFamily.CountMetric("asb.incidents", 0, Set.of(MetricFamily.TOTAL, "category"))),
                List.of(), "asb.ward_share", null, cspCode, cspName);
    }

    public static Contribution asb(final AsbIncident incident) {
        return contribution(Periods.month(incident.getReportedAt()), incident.getArea(),
                Map.of("category", incident.getCategory().name()), 1);
    }

    public static MetricFamily ambulance(final String cspCode, final String cspName) {
        return new MetricFamily("ambulance", "csp.metrics.ambulance",
                List.of(AreaType.WARD, AreaType.DISTRICT, AreaType.CSP), List.of("sex", "age_band"),
                List.of(new MetricFamily.CountMetric("ambulance.callouts", 0,
                        Set.of(MetricFamily.TOTAL, "sex", "age_band"))),
                List.of(), "ambulance.ward_share", null, cspCode, cspName);
    }

    /** A callout whose age was not recorded is in the age band UNKNOWN. */
    public static Contribution ambulance(final AmbulanceCallout callout) {
        final String band = callout.getAgeBand() == null ? "UNKNOWN" : callout.getAgeBand();
        return contribution(Periods.month(callout.getCalledAt()), callout.getArea(),
                Map.of("sex", callout.getSex().name(), "age_band", band), 1);
    }

    public static MetricFamily idva(final String cspCode, final String cspName) {
        final Set<String> strands = Set.of(MetricFamily.TOTAL, "strand");
        return new MetricFamily("idva", "csp.metrics.idva", List.of(AreaType.DISTRICT, AreaType.CSP),
                List.of("strand", "risk_level"),
                List.of(new MetricFamily.CountMetric("idva.referrals", 0,
                                Set.of(MetricFamily.TOTAL, "strand", "risk_level")),
                        new MetricFamily.CountMetric("idva.engaged", 1, strands),
                        new MetricFamily.CountMetric("idva.repeats", 2, strands),
                        new MetricFamily.CountMetric("idva.high_risk", 3, TOTAL),
                        new MetricFamily.CountMetric("idva.medium_risk", 4, TOTAL),
                        new MetricFamily.CountMetric("idva.male", 5, TOTAL),
                        new MetricFamily.CountMetric("idva.disability", 6, TOTAL),
                        new MetricFamily.CountMetric("idva.lgbt", 7, TOTAL)),
                List.of(new MetricFamily.RateMetric("idva.engagement_rate", 1, 0, strands),
                        new MetricFamily.RateMetric("idva.repeat_rate", 2, 0, strands)),
                null, null, cspCode, cspName);
    }

    public static Contribution idva(final IdvaReferral referral, final boolean repeat) {
        final RiskLevel risk = referral.getRiskLevel();
        return contribution(Periods.month(referral.getReferredOn()), referral.getArea(),
                Map.of("strand", referral.getStrand().name(), "risk_level", risk.name()),
                1, flag(referral.getEngaged()), flag(repeat), flag(risk == RiskLevel.HIGH),
                flag(risk == RiskLevel.MEDIUM), flag(referral.getMale()), flag(referral.getDisability()),
                flag(referral.getLgbt()));
    }

    public static MetricFamily fire(final String cspCode, final String cspName) {
        return new MetricFamily("fire", "csp.metrics.fire", List.of(AreaType.WARD, AreaType.DISTRICT, AreaType.CSP),
                List.of("incident_type", "cause"),
                List.of(new MetricFamily.CountMetric("fire.incidents", 0, Set.of(MetricFamily.TOTAL, "incident_type")),
                        new MetricFamily.CountMetric("fire.fires", 1, Set.of(MetricFamily.TOTAL, "cause"))),
                List.of(new MetricFamily.RateMetric("fire.deliberate_share", 2, 1, TOTAL)),
                null, new MetricFamily.Projection("fire.projection", 1, Set.of(AreaType.DISTRICT, AreaType.CSP)),
                cspCode, cspName);
    }

    /** Fires are primary, secondary and chimney fires; a cause is counted for fires only. */
    public static Contribution fire(final FireIncident incident) {
        final FireIncidentType type = incident.getIncidentType();
        final boolean fire = type == FireIncidentType.PRIMARY_FIRE || type == FireIncidentType.SECONDARY_FIRE
                || type == FireIncidentType.CHIMNEY_FIRE;
        final Map<String, String> dimensions = new HashMap<>();
        dimensions.put("incident_type", type.name());
        if (fire) {
            dimensions.put("cause", incident.getCause().name());
        }
        return contribution(Periods.month(incident.getOccurredAt()), incident.getArea(), dimensions,
                1, fire ? 1 : 0, fire && incident.getCause() == FireCause.DELIBERATE ? 1 : 0);
    }

    private static Contribution contribution(final YearMonth month, final Area area,
            final Map<String, String> dimensions, final long... counters) {
        return new Contribution(month, area.getWardCode(), area.getWardName(), area.getDistrictCode(),
                area.getDistrictName(), dimensions, counters);
    }

    private static long flag(final boolean value) {
        return value ? 1 : 0;
    }
}
