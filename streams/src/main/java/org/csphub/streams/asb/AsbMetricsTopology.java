package org.csphub.streams.asb;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.metrics.AreaType;
import org.csphub.streams.periods.Periods;
import org.csphub.streams.series.Contribution;
import org.csphub.streams.series.FamilySource;
import org.csphub.streams.series.MetricFamily;
import org.csphub.streams.series.SeriesTopology;
import org.csphub.topics.Topics;

/** Police ASB incidents per ward, district and partnership, by category, and each ward's share of its district. */
public final class AsbMetricsTopology {

    public static final String FAMILY = "asb";
    public static final String CATEGORY = "category";

    private final Serde<AsbIncident> incidentSerde;
    private final SeriesTopology series;
    private final MetricFamily family;

    public AsbMetricsTopology(final Serde<AsbIncident> incidentSerde, final SeriesTopology series,
            final String cspCode, final String cspName) {
        this.incidentSerde = incidentSerde;
        this.series = series;
        this.family = family(cspCode, cspName);
    }

    public static MetricFamily family(final String cspCode, final String cspName) {
        return new MetricFamily(FAMILY, Topics.METRICS_ASB, List.of(AreaType.WARD, AreaType.DISTRICT, AreaType.CSP),
                List.of(CATEGORY),
                List.of(new MetricFamily.CountMetric("asb.incidents", 0, Set.of(MetricFamily.TOTAL, CATEGORY))),
                List.of(), "asb.ward_share", null, cspCode, cspName);
    }

    public void build(final StreamsBuilder builder) {
        series.build(builder, FamilySource.changes(builder, FAMILY, Topics.RAW_POLICE_ASB, incidentSerde,
                AsbMetricsTopology::contribution), family);
    }

    static Contribution contribution(final AsbIncident incident) {
        return FamilySource.contribution(Periods.month(incident.getReportedAt()), incident.getArea(),
                Map.of(CATEGORY, incident.getCategory().name()), 1);
    }
}
