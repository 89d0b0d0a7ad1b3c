package org.csphub.streams.series;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TableJoined;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.streams.publish.DisclosurePublisher;
import org.csphub.topics.Topics;

/**
 * The part every family shares: from the changes of its records (one contribution per current raw
 * record) to the family's metric topic. A {@link CellCombiner} sums the records of each input
 * partition into cells (month, area, breakdown values), so that what follows works per cell rather
 * than per record, and passes on each cell's change. For each area level and breakdown, those
 * changes go by series key to an aggregate that adds them up (a correction moved a record's count
 * from one cell to another, a retraction took it away), in one repartition hop and so one commit
 * from the combiner; the ward-share series join each ward to its district; an emitter turns every
 * changed series into the metric updates it implies.
 *
 * <p>Names, for a family {@code f}, level {@code l} and breakdown {@code d} ({@code total} for none):
 * combiner {@code f-combine-cells} with stores {@code f-contributions} and {@code f-passed-cells},
 * key and filter {@code f-l-d-series-key} and {@code f-l-d-in-series}, repartition
 * {@code f-l-d-by-series}, aggregate {@code f-l-d-aggregate} with store {@code f-l-d-series},
 * share join {@code f-ward-share-join} with store {@code f-ward-share}, emitters
 * {@code f-emit-metrics} and {@code f-emit-ward-shares} with held updates in {@code f-held-series}
 * and {@code f-held-shares}, sink {@code f-metrics-sink} (partitioned by period type); then the
 * disclosure-controlled view: source {@code f-metrics-source} (the metric topic read back),
 * publisher {@code f-publish} with stores {@code f-publication-input}, {@code f-publication-pending}
 * and {@code f-published}, sink {@code f-published-sink} to {@code csp.published.f}.
 */
public final class SeriesTopology {

    private final Serde<AreaMetricKey> keySerde;
    private final Serde<AreaMetric> valueSerde;
    private final DisclosureControl disclosure;

    public SeriesTopology(final Serde<AreaMetricKey> keySerde, final Serde<AreaMetric> valueSerde,
            final DisclosureControl disclosure) {
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.disclosure = disclosure;
    }

    /** The name of the store of a family's metrics after disclosure control (queried by the HTTP routes). */
    public static String publishedStore(final String family) {
        return family + "-published";
    }

    /**
     * The name of the store of a family's metrics as computed, before disclosure control: the
     * publisher's copy of its metric topic's latest values, partitioned like the published store (the
     * query API answers partners from it).
     */
    public static String metricStore(final String family) {
        return family + "-publication-input";
    }

    /** The store of the series versions each family's emitter last turned into metrics. */
    public static String emittedSeriesStore(final String family) {
        return family + "-emitted-series";
    }

    /** The name of the aggregate store of one level and breakdown. */
    public static String seriesStore(final String family, final AreaType level, final String dimension) {
        return prefix(family, level, dimension) + "-series";
    }

    private static String prefix(final String family, final AreaType level, final String dimension) {
        return family + "-" + level.name().toLowerCase(Locale.ROOT) + "-"
                + (dimension.isEmpty() ? "total" : dimension.replace('_', '-'));
    }

    /** The store of each raw record's current contribution, by record id. */
    public static String contributionStore(final String family) {
        return family + "-contributions";
    }

    /**
     * Builds a family from the changes of its records: {@code changes} is keyed by record id, with the
     * record's current contribution or null where it was retracted.
     */
    public void build(final StreamsBuilder builder, final KStream<String, Contribution> changes,
            final MetricFamily family) {
        final Serde<Contribution> contributionSerde = SeriesSerdes.contribution();
        final Serde<Series> seriesSerde = SeriesSerdes.series();
        final String records = contributionStore(family.name());
        final String passed = family.name() + "-passed-cells";
        // one entry per record id, each read and written about once: a record cache in front of it would
        // only add its own bookkeeping (and its evictions) to every raw record
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(records), Serdes.String(),
                contributionSerde).withCachingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(passed), Serdes.String(),
                contributionSerde).withCachingEnabled());
        final KStream<String, Contribution> cellChanges = changes
                .process(() -> new CellCombiner(records, passed), Named.as(family.name() + "-combine-cells"),
                        records, passed);
        final List<KStream<String, Series>> updates = new ArrayList<>();
        KTable<String, Series> wardTotals = null;
        KTable<String, Series> districtTotals = null;
        final List<String> dimensions = new ArrayList<>();
        dimensions.add(MetricFamily.TOTAL);
        dimensions.addAll(family.dimensions());
        for (final AreaType level : family.levels()) {
            for (final String dimension : dimensions) {
                final String name = prefix(family.name(), level, dimension);
                // a cell's change stays within one series of each level and breakdown (the cell fixes the
                // month, the areas and every breakdown value), so it travels as one signed change
                final KTable<String, Series> series = cellChanges
                        .map((cell, change) -> KeyValue.pair(seriesKey(level, dimension, change, family), change),
                                Named.as(name + "-series-key"))
                        .filter((key, change) -> !SeriesKey.NONE.equals(key), Named.as(name + "-in-series"))
                        .groupByKey(Grouped.with(name + "-by-series", Serdes.String(), contributionSerde))
                        .aggregate(Series::empty,
                                (key, change, aggregate) -> aggregate.add(change,
                                        areaName(level, change, family), parentCode(level, change)),
                                Named.as(name + "-aggregate"),
                                Materialized.<String, Series, KeyValueStore<Bytes, byte[]>>as(seriesStore(family.name(),
                                        level, dimension)).withKeySerde(Serdes.String()).withValueSerde(seriesSerde));
                updates.add(series.toStream(Named.as(name + "-updates")));
                if (dimension.isEmpty() && level == AreaType.WARD) {
                    wardTotals = series;
                } else if (dimension.isEmpty() && level == AreaType.DISTRICT) {
                    districtTotals = series;
                }
            }
        }
        final String emitted = emittedSeriesStore(family.name());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(emitted), Serdes.String(),
                seriesSerde).withCachingEnabled());
        final String heldSeries = family.name() + "-held-series";
        final String heldShares = family.name() + "-held-shares";
        final boolean withShares = family.wardShare() != null && wardTotals != null && districtTotals != null;
        for (final String held : withShares ? List.of(heldSeries, heldShares) : List.of(heldSeries)) {
            builder.addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(held),
                    Serdes.String(), seriesSerde).withCachingEnabled());
        }
        KStream<String, Series> merged = updates.get(0);
        for (int i = 1; i < updates.size(); i++) {
            merged = merged.merge(updates.get(i), Named.as(family.name() + "-series-merge-" + i));
        }
        final List<KStream<AreaMetricKey, AreaMetric>> metrics = new ArrayList<>();
        metrics.add(merged.process(() -> new MetricEmitter(family, emitted, heldSeries, Series.Kind.COUNTS),
                Named.as(family.name() + "-emit-metrics"), emitted, heldSeries));
        if (withShares) {
            final KTable<String, Series> shares = wardTotals.join(districtTotals,
                    ward -> SeriesKey.total(AreaType.DISTRICT, ward.parentCode()).text(),
                    SeriesTopology::share,
                    TableJoined.as(family.name() + "-ward-share-join"),
                    Materialized.<String, Series, KeyValueStore<Bytes, byte[]>>as(family.name() + "-ward-share")
                            .withKeySerde(Serdes.String()).withValueSerde(seriesSerde));
            metrics.add(shares.toStream(Named.as(family.name() + "-ward-share-updates"))
                    .process(() -> new MetricEmitter(family, emitted, heldShares, Series.Kind.SHARE),
                            Named.as(family.name() + "-emit-ward-shares"), emitted, heldShares));
        }
        KStream<AreaMetricKey, AreaMetric> out = metrics.get(0);
        if (metrics.size() > 1) {
            out = out.merge(metrics.get(1), Named.as(family.name() + "-metrics-merge"));
        }
        // partitioned by period type, so that the publisher (below) finds a period and those it is compared
        // with in one task
        out.to(family.topic(), Produced.with(keySerde, valueSerde).withName(family.name() + "-metrics-sink")
                .withStreamPartitioner(SeriesTopology::byPeriodType));
        publish(builder, family);
    }

    /**
     * The research group's view: the family's metric topic, read back, goes to a
     * {@link DisclosurePublisher}, whose output is the family's published topic.
     */
    private void publish(final StreamsBuilder builder, final MetricFamily family) {
        final String input = metricStore(family.name());
        final String pending = family.name() + "-publication-pending";
        final String published = publishedStore(family.name());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(input), Serdes.String(),
                valueSerde).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(pending), Serdes.String(),
                Serdes.String()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(published),
                Serdes.String(), valueSerde).withCachingEnabled());
        builder.stream(family.topic(), Consumed.with(keySerde, valueSerde).withName(family.name() + "-metrics-source"))
                .process(() -> new DisclosurePublisher(disclosure, family.name(), input, pending, published),
                        Named.as(family.name() + "-publish"), input, pending, published)
                .to(Topics.publishedTopicOf(family.topic()), Produced.with(keySerde, valueSerde)
                        .withName(family.name() + "-published-sink"));
    }

    /** All metrics of one period type go to one partition, so a period meets those it is compared with. */
    public static Optional<Set<Integer>> byPeriodType(final String topic, final AreaMetricKey key,
            final AreaMetric value, final int partitions) {
        return Optional.of(Set.of(partitionOf(key.getPeriodType(), partitions)));
    }

    /**
     * The partition of the metric topic (and of the publisher's stores) that holds a period type. The
     * types are dealt out largest first (months and rolling years, twelve periods a year each, then
     * quarters, then years), so that every partition up to four holds some and the two largest
     * never share one: with three partitions, MONTH and FINANCIAL_YEAR share the first.
     */
    public static int partitionOf(final PeriodType type, final int partitions) {
        final int rank = switch (type) {
            case MONTH -> 0;
            case ROLLING_12M -> 1;
            case QUARTER -> 2;
            case FINANCIAL_YEAR -> 3;
        };
        return rank % partitions;
    }

    static String seriesKey(final AreaType level, final String dimension, final Contribution contribution,
            final MetricFamily family) {
        final String value = dimension.isEmpty() ? "" : contribution.dimensions().get(dimension);
        if (value == null) {
            return SeriesKey.NONE;
        }
        final String area = switch (level) {
            case WARD -> contribution.wardCode();
            case DISTRICT -> contribution.districtCode();
            case CSP -> family.cspCode();
        };
        return area == null ? SeriesKey.NONE : new SeriesKey(level, area, dimension, value).text();
    }

    private static String areaName(final AreaType level, final Contribution contribution, final MetricFamily family) {
        return switch (level) {
            case WARD -> contribution.wardName();
            case DISTRICT -> contribution.districtName();
            case CSP -> family.cspName();
        };
    }

    private static String parentCode(final AreaType level, final Contribution contribution) {
        return level == AreaType.WARD ? contribution.districtCode() : "";
    }

    /** A ward joined with its district: per month, the ward's count and the district's. */
    static Series share(final Series ward, final Series district) {
        final Map<YearMonth, long[]> months = new TreeMap<>();
        district.months().forEach((month, counters) -> months.put(month, new long[] {0, counters[0]}));
        ward.months().forEach((month, counters) -> months.computeIfAbsent(month, m -> new long[2])[0] = counters[0]);
        return new Series(Series.Kind.SHARE, ward.areaName(), ward.parentCode(), months);
    }
}
