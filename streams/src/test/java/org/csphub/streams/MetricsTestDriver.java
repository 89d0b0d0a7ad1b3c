package org.csphub.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.csphub.config.HubConfig;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.feeds.fire.FireIncident;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.geography.Geography;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.serde.AvroSerde;
import org.csphub.serde.SerdeConfig;
import org.csphub.streams.series.Coalescing;
import org.csphub.topics.Topics;

/** The whole metrics topology in a TopologyTestDriver, with a registry in memory of its own. */
public final class MetricsTestDriver implements AutoCloseable {

    public static final String CSP_CODE = "cambridgeshire-and-peterborough";
    public static final String CSP_NAME = "Cambridgeshire and Peterborough";

    private final TopologyTestDriver driver;
    private final Map<String, Object> serdeConfig;
    private final Map<String, TestOutputTopic<AreaMetricKey, AreaMetric>> outputs = new LinkedHashMap<>();
    private final Map<String, Map<AreaMetricKey, AreaMetric>> latest = new LinkedHashMap<>();

    public MetricsTestDriver() {
        this(false);
    }

    /**
     * A driver whose aggregates live in memory instead of RocksDB when {@code inMemory}: the driver
     * commits after every record, and a RocksDB commit flushes every store, so long generated runs
     * would spend their time writing files.
     */
    public MetricsTestDriver(final boolean inMemory) {
        this(inMemory, Instant.parse("2020-01-01T00:00:00Z"));
    }

    /**
     * A driver whose wall clock starts at {@code wallClock}: records stamped more than
     * {@link Coalescing#FRESH} before it arrive as a backlog (a replay or a catch-up), which every
     * stage holds and passes on coalesced; records stamped after it arrive as a fresh trickle, which
     * goes on at once.
     */
    public MetricsTestDriver(final boolean inMemory, final Instant wallClock) {
        this(inMemory, wallClock, DisclosureControl.of(HubConfig.defaultsOnly(), Geography.defaults()));
    }

    /** A driver whose publisher applies {@code disclosure} instead of the shipped contracts' policies. */
    public MetricsTestDriver(final DisclosureControl disclosure) {
        this(false, Instant.parse("2020-01-01T00:00:00Z"), disclosure);
    }

    private MetricsTestDriver(final boolean inMemory, final Instant wallClock, final DisclosureControl disclosure) {
        serdeConfig = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mem://metrics-" + UUID.randomUUID());
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            properties.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(Files.createDirectories(Path.of("target", "state")), "metrics-test").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.putAll(serdeConfig);
        properties.putAll(MetricsApplication.deadLetterSettings());
        if (inMemory) {
            properties.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
                    BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
        }
        final Topology topology = MetricsApplication.topology(serdeConfig, CSP_CODE, CSP_NAME, disclosure,
                properties);
        driver = new TopologyTestDriver(topology, properties, wallClock);
        for (final String topic : List.of("csp.metrics.asb", "csp.metrics.ambulance", "csp.metrics.idva",
                "csp.metrics.fire", "csp.published.asb", "csp.published.ambulance", "csp.published.idva",
                "csp.published.fire")) {
            outputs.put(topic, driver.createOutputTopic(topic,
                    AvroSerde.of(AreaMetricKey.class, serdeConfig, true).deserializer(),
                    AvroSerde.of(AreaMetric.class, serdeConfig, false).deserializer()));
            latest.put(topic, new LinkedHashMap<>());
        }
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    public void asb(final String id, final AsbIncident incident, final Instant at) {
        pipe("csp.raw.police-asb", AsbIncident.class, id, incident, at);
    }

    public void ambulance(final String id, final AmbulanceCallout callout, final Instant at) {
        pipe("csp.raw.ambulance-callouts", AmbulanceCallout.class, id, callout, at);
    }

    public void idva(final String id, final IdvaReferral referral, final Instant at) {
        pipe("csp.raw.idva-referrals", IdvaReferral.class, id, referral, at);
    }

    public void fire(final String id, final FireIncident incident, final Instant at) {
        pipe("csp.raw.fire-incidents", FireIncident.class, id, incident, at);
    }

    private <T extends SpecificRecord> void pipe(final String topic, final Class<T> type, final String id,
            final T value, final Instant at) {
        final TestInputTopic<String, T> input = driver.createInputTopic(topic, Serdes.String().serializer(),
                AvroSerde.of(type, serdeConfig, false).serializer());
        input.pipeInput(new TestRecord<>(id, value, at));
    }

    /**
     * Lets the wall clock run until every stage has passed on what it holds: the combiners and
     * emitters hold changes while their input keeps arriving and pass them on once it pauses.
     */
    public void settle() {
        settle(driver, List.of("asb", "ambulance", "idva", "fire"));
    }

    /** As {@link #settle()}, for a topology of the given families in {@code driver}. */
    static void settle(final TopologyTestDriver driver, final List<String> families) {
        // a pause of quiet checks for the combiners to pass their cells on, one for the emitters, one for
        // the publishers, one to spare
        final Duration step = Coalescing.BACKLOG_PAUSE.dividedBy(Coalescing.QUIET_CHECKS - 1);
        for (int check = 0; check < 4 * Coalescing.QUIET_CHECKS; check++) {
            driver.advanceWallClockTime(step);
        }
        // the publishers work through their noted periods a few at each check
        for (int check = 0; check < 100_000 && publicationsPending(driver, families); check++) {
            driver.advanceWallClockTime(Coalescing.CHECK_INTERVAL);
        }
    }

    private static boolean publicationsPending(final TopologyTestDriver driver, final List<String> families) {
        for (final String family : families) {
            final KeyValueStore<String, Object> pending = driver.getKeyValueStore(family + "-publication-pending");
            try (KeyValueIterator<String, Object> all = pending.all()) {
                if (all.hasNext()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every update on a metric or published topic since the last call (after {@link #settle()}). */
    public List<TestRecord<AreaMetricKey, AreaMetric>> updates(final String topic) {
        settle();
        final List<TestRecord<AreaMetricKey, AreaMetric>> records = outputs.get(topic).readRecordsToList();
        records.forEach(record -> {
            if (record.value() == null) {
                latest.get(topic).remove(record.key());
            } else {
                latest.get(topic).put(record.key(), record.value());
            }
        });
        return records;
    }

    /** The current value of every metric of a topic (tombstones applied). */
    public Map<AreaMetricKey, AreaMetric> latest(final String topic) {
        updates(topic);
        return latest.get(topic);
    }

    public static AreaMetricKey key(final String metric, final String dimension, final String dimensionValue,
            final AreaType areaType, final String areaCode, final PeriodType periodType, final String period) {
        return new AreaMetricKey(metric, dimension, dimensionValue, areaType, areaCode, periodType, period);
    }

    /** A metric value as the topology publishes it. */
    public static AreaMetric metric(final AreaMetricKey key, final String areaName, final Double value,
            final Long numerator, final Long denominator, final Instant updatedAt) {
        return new AreaMetric(key.getMetric(), key.getDimension(), key.getDimensionValue(), key.getAreaType(),
                key.getAreaCode(), areaName, key.getPeriodType(), key.getPeriod(), value, numerator, denominator,
                false, updatedAt);
    }

    @Override
    public void close() {
        driver.close();
    }
}
