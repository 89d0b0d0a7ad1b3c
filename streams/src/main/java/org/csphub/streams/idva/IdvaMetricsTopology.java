package org.csphub.streams.idva;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TableJoined;
import org.apache.kafka.streams.state.KeyValueStore;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.feeds.idva.RiskLevel;
import org.csphub.metrics.AreaType;
import org.csphub.streams.periods.Periods;
import org.csphub.streams.series.Contribution;
import org.csphub.streams.series.FamilySource;
import org.csphub.streams.series.MetricFamily;
import org.csphub.streams.series.SeriesSerdes;
import org.csphub.streams.series.SeriesTopology;
import org.csphub.topics.Topics;

/**
 * IDVA referrals per district and partnership, by strand and risk level, with engagement and
 * repeat rates and the risk and victim counts. A referral's repeat flag comes from its client's
 * current referrals: the referrals are grouped by client into a table, and each referral is joined
 * to its client's entry (a foreign-key join), so when any referral of a client is added, corrected
 * or retracted every referral of that client is re-joined and its flag recomputed.
 */
public final class IdvaMetricsTopology {

    public static final String FAMILY = "idva";
    public static final String STRAND = "strand";
    public static final String RISK_LEVEL = "risk_level";
    /** Counters of an IDVA series, in order. */
    static final int REFERRALS = 0;
    static final int ENGAGED = 1;
    static final int REPEATS = 2;
    static final int HIGH = 3;
    static final int MEDIUM = 4;
    static final int MALE = 5;
    static final int DISABILITY = 6;
    static final int LGBT = 7;
    private static final char SEPARATOR = '|';

    private final Serde<IdvaReferral> referralSerde;
    private final SeriesTopology series;
    private final MetricFamily family;

    public IdvaMetricsTopology(final Serde<IdvaReferral> referralSerde, final SeriesTopology series,
            final String cspCode, final String cspName) {
        this.referralSerde = referralSerde;
        this.series = series;
        this.family = family(cspCode, cspName);
    }

    public static MetricFamily family(final String cspCode, final String cspName) {
        final Set<String> strands = Set.of(MetricFamily.TOTAL, STRAND);
        final Set<String> total = Set.of(MetricFamily.TOTAL);
        return new MetricFamily(FAMILY, Topics.METRICS_IDVA, List.of(AreaType.DISTRICT, AreaType.CSP),
                List.of(STRAND, RISK_LEVEL),
                List.of(new MetricFamily.CountMetric("idva.referrals", REFERRALS,
                                Set.of(MetricFamily.TOTAL, STRAND, RISK_LEVEL)),
                        new MetricFamily.CountMetric("idva.engaged", ENGAGED, strands),
                        new MetricFamily.CountMetric("idva.repeats", REPEATS, strands),
                        new MetricFamily.CountMetric("idva.high_risk", HIGH, total),
                        new MetricFamily.CountMetric("idva.medium_risk", MEDIUM, total),
                        new MetricFamily.CountMetric("idva.male", MALE, total),
                        new MetricFamily.CountMetric("idva.disability", DISABILITY, total),
                        new MetricFamily.CountMetric("idva.lgbt", LGBT, total)),
                List.of(new MetricFamily.RateMetric("idva.engagement_rate", ENGAGED, REFERRALS, strands),
                        new MetricFamily.RateMetric("idva.repeat_rate", REPEATS, REFERRALS, strands)),
                null, null, cspCode, cspName);
    }

    public void build(final StreamsBuilder builder) {
        final KTable<String, IdvaReferral> referrals =
                FamilySource.table(builder, FAMILY, Topics.RAW_IDVA_REFERRALS, referralSerde);
        final KTable<String, ClientReferrals> clients = referrals
                .groupBy((id, referral) -> KeyValue.pair(referral.getClientHash(),
                                id + SEPARATOR + referral.getReferredOn().toEpochDay()),
                        Grouped.with(FAMILY + "-referrals-by-client", Serdes.String(), Serdes.String()))
                .aggregate(ClientReferrals::empty,
                        (client, entry, aggregate) -> aggregate.with(idOf(entry), dateOf(entry)),
                        (client, entry, aggregate) -> aggregate.without(idOf(entry)),
                        Named.as(FAMILY + "-client-referrals-aggregate"),
                        Materialized.<String, ClientReferrals, KeyValueStore<Bytes, byte[]>>as(FAMILY + "-client-referrals")
                                .withKeySerde(Serdes.String()).withValueSerde(ClientReferrals.serde()));
        final KTable<String, Contribution> contributions = referrals.leftJoin(clients, IdvaReferral::getClientHash,
                // a left join, so that a referral is counted even before its client's entry arrives
                (referral, client) -> contribution(referral, client != null
                        && client.isRepeat(referral.getReferralId(), referral.getReferredOn())),
                TableJoined.as(FAMILY + "-repeat-join"),
                Materialized.<String, Contribution, KeyValueStore<Bytes, byte[]>>as(FAMILY + "-flagged-referrals")
                        .withKeySerde(Serdes.String()).withValueSerde(SeriesSerdes.contribution()));
        series.build(builder, contributions.toStream(Named.as(FAMILY + "-flagged-changes")), family);
    }

    private static String idOf(final String entry) {
        return entry.substring(0, entry.lastIndexOf(SEPARATOR));
    }

    private static LocalDate dateOf(final String entry) {
        return LocalDate.ofEpochDay(Long.parseLong(entry.substring(entry.lastIndexOf(SEPARATOR) + 1)));
    }

    static Contribution contribution(final IdvaReferral referral, final boolean repeat) {
        final RiskLevel risk = referral.getRiskLevel();
        return FamilySource.contribution(Periods.month(referral.getReferredOn()), referral.getArea(),
                Map.of(STRAND, referral.getStrand().name(), RISK_LEVEL, risk.name()),
                1, flag(referral.getEngaged()), flag(repeat), flag(risk == RiskLevel.HIGH),
                flag(risk == RiskLevel.MEDIUM), flag(referral.getMale()), flag(referral.getDisability()),
                flag(referral.getLgbt()));
    }

    private static long flag(final boolean value) {
        return value ? 1 : 0;
    }
}
