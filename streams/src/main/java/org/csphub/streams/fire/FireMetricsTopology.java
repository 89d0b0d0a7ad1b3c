package org.csphub.streams.fire;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.csphub.feeds.fire.FireCause;
import org.csphub.feeds.fire.FireIncident;
import org.csphub.feeds.fire.FireIncidentType;
import org.csphub.metrics.AreaType;
import org.csphub.streams.periods.Periods;
import org.csphub.streams.series.Contribution;
import org.csphub.streams.series.FamilySource;
import org.csphub.streams.series.MetricFamily;
import org.csphub.streams.series.SeriesTopology;
import org.csphub.topics.Topics;

/**
 * Fire and rescue incidents by type, fires (primary, secondary, chimney) by cause, the deliberate
 * share of fires and the part-year projection of fires; wards only where the record names one.
 */
public final class FireMetricsTopology {

    public static final String FAMILY = "fire";
    public static final String INCIDENT_TYPE = "incident_type";
    public static final String CAUSE = "cause";
    static final int INCIDENTS = 0;
    static final int FIRES = 1;
    static final int DELIBERATE = 2;

    private final Serde<FireIncident> incidentSerde;
    private final SeriesTopology series;
    private final MetricFamily family;

    public FireMetricsTopology(final Serde<FireIncident> incidentSerde, final SeriesTopology series,
            final String cspCode, final String cspName) {
        this.incidentSerde = incidentSerde;
        this.series = series;
        this.family = family(cspCode, cspName);
    }

    public static MetricFamily family(final String cspCode, final String cspName) {
        return new MetricFamily(FAMILY, Topics.METRICS_FIRE, List.of(AreaType.WARD, AreaType.DISTRICT, AreaType.CSP),
                List.of(INCIDENT_TYPE, CAUSE),
                List.of(new MetricFamily.CountMetric("fire.incidents", INCIDENTS,
                                Set.of(MetricFamily.TOTAL, INCIDENT_TYPE)),
                        new MetricFamily.CountMetric("fire.fires", FIRES, Set.of(MetricFamily.TOTAL, CAUSE))),
                List.of(new MetricFamily.RateMetric("fire.deliberate_share", DELIBERATE, FIRES,
                        Set.of(MetricFamily.TOTAL))),
                null, new MetricFamily.Projection("fire.projection", FIRES, Set.of(AreaType.DISTRICT, AreaType.CSP)),
                cspCode, cspName);
    }

    public void build(final StreamsBuilder builder) {
        series.build(builder, FamilySource.changes(builder, FAMILY, Topics.RAW_FIRE_INCIDENTS, incidentSerde,
                FireMetricsTopology::contribution), family);
    }

    /** Whether an incident is a fire in the Incident Recording System's sense. */
    public static boolean isFire(final FireIncidentType type) {
        return type == FireIncidentType.PRIMARY_FIRE || type == FireIncidentType.SECONDARY_FIRE
                || type == FireIncidentType.CHIMNEY_FIRE;
    }

    static Contribution contribution(final FireIncident incident) {
        final boolean fire = isFire(incident.getIncidentType());
        final Map<String, String> dimensions = new HashMap<>();
        dimensions.put(INCIDENT_TYPE, incident.getIncidentType().name());
        if (fire) {
            // a cause is counted for fires only: fire.fires by cause
            dimensions.put(CAUSE, incident.getCause().name());
        }
        return FamilySource.contribution(Periods.month(incident.getOccurredAt()), incident.getArea(), dimensions,
                1, fire ? 1 : 0, fire && incident.getCause() == FireCause.DELIBERATE ? 1 : 0);
    }
}
