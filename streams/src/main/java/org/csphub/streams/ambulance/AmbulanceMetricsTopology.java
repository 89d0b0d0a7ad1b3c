package org.csphub.streams.ambulance;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.metrics.AreaType;
import org.csphub.streams.periods.Periods;
import org.csphub.streams.series.Contribution;
import org.csphub.streams.series.FamilySource;
import org.csphub.streams.series.MetricFamily;
import org.csphub.streams.series.SeriesTopology;
import org.csphub.topics.Topics;

/** Assault-related ambulance callouts per ward, district and partnership, by sex and age band, and ward shares. */
public final class AmbulanceMetricsTopology {

    public static final String FAMILY = "ambulance";
    public static final String SEX = "sex";
    public static final String AGE_BAND = "age_band";
    /** The age band of a callout whose age was not recorded. */
    public static final String UNKNOWN_AGE = "UNKNOWN";

    private final Serde<AmbulanceCallout> calloutSerde;
    private final SeriesTopology series;
    private final MetricFamily family;

    public AmbulanceMetricsTopology(final Serde<AmbulanceCallout> calloutSerde, final SeriesTopology series,
            final String cspCode, final String cspName) {
        this.calloutSerde = calloutSerde;
        this.series = series;
        this.family = family(cspCode, cspName);
    }

    public static MetricFamily family(final String cspCode, final String cspName) {
        return new MetricFamily(FAMILY, Topics.METRICS_AMBULANCE,
                List.of(AreaType.WARD, AreaType.DISTRICT, AreaType.CSP), List.of(SEX, AGE_BAND),
                List.of(new MetricFamily.CountMetric("ambulance.callouts", 0,
                        Set.of(MetricFamily.TOTAL, SEX, AGE_BAND))),
                List.of(), "ambulance.ward_share", null, cspCode, cspName);
    }

    public void build(final StreamsBuilder builder) {
        series.build(builder, FamilySource.changes(builder, FAMILY, Topics.RAW_AMBULANCE_CALLOUTS, calloutSerde,
                AmbulanceMetricsTopology::contribution), family);
    }

    static Contribution contribution(final AmbulanceCallout callout) {
        final String band = callout.getAgeBand() == null ? UNKNOWN_AGE : callout.getAgeBand();
        return FamilySource.contribution(Periods.month(callout.getCalledAt()), callout.getArea(),
                Map.of(SEX, callout.getSex().name(), AGE_BAND, band), 1);
    }
}
