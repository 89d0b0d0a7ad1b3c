package org.csphub.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.test.TestRecord;
import org.csphub.config.HubConfig;
import org.csphub.contracts.FeedContract;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.geography.Geography;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.serde.AvroSerde;
import org.csphub.serde.SerdeConfig;
import org.csphub.streams.series.FeedFamilyTopology;
import org.csphub.streams.series.SeriesTopology;
import org.csphub.topics.Topics;

/**
 * One contract's family topology, as {@link MetricsApplication} builds each, in a TopologyTestDriver
 * with its aggregates in memory and a registry of its own: for a feed the hub does not run yet.
 */
final class ContractFamilyTestDriver implements AutoCloseable {

    private final TopologyTestDriver driver;
    private final FeedContract contract;
    private final TestInputTopic<String, GenericRecord> input;
    private final Map<String, TestOutputTopic<AreaMetricKey, AreaMetric>> outputs = new LinkedHashMap<>();
    private final Map<String, Map<AreaMetricKey, AreaMetric>> latest = new LinkedHashMap<>();

    /** @param wallClock as {@link MetricsTestDriver#MetricsTestDriver(boolean, Instant)}'s */
    ContractFamilyTestDriver(final FeedContract contract, final Instant wallClock) {
        this.contract = contract;
        final Map<String, Object> serdeConfig = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL,
                "mem://family-" + UUID.randomUUID());
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "family-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            properties.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(
                    Files.createDirectories(Path.of("target", "state")), "family-test").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.putAll(serdeConfig);
        properties.putAll(MetricsApplication.deadLetterSettings());
        properties.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
                BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
        final StreamsBuilder builder = new StreamsBuilder();
        final SeriesTopology series = new SeriesTopology(AvroSerde.of(AreaMetricKey.class, serdeConfig, true),
                AvroSerde.of(AreaMetric.class, serdeConfig, false),
                DisclosureControl.of(HubConfig.defaultsOnly(), Geography.defaults()));
        new FeedFamilyTopology(contract, AvroSerde.generic(contract.avroSchema(), serdeConfig, false), series,
                MetricsTestDriver.CSP_CODE, MetricsTestDriver.CSP_NAME, Geography.defaults().population())
                .build(builder);
        driver = new TopologyTestDriver(builder.build(properties), properties, wallClock);
        input = driver.createInputTopic(contract.rawTopic(), Serdes.String().serializer(),
                AvroSerde.generic(contract.avroSchema(), serdeConfig, false).serializer());
        final String metrics = contract.family().topic();
        for (final String topic : List.of(metrics, Topics.publishedTopicOf(metrics))) {
            outputs.put(topic, driver.createOutputTopic(topic,
                    AvroSerde.of(AreaMetricKey.class, serdeConfig, true).deserializer(),
                    AvroSerde.of(AreaMetric.class, serdeConfig, false).deserializer()));
            latest.put(topic, new LinkedHashMap<>());
        }
    }

    /** A record, or a tombstone when {@code record} is null. */
    void pipe(final String id, final GenericRecord record, final Instant at) {
        input.pipeInput(new TestRecord<>(id, record, at));
    }

    /** The current value of every metric of the family's metric or published topic (tombstones applied). */
    Map<AreaMetricKey, AreaMetric> latest(final String topic) {
        MetricsTestDriver.settle(driver, List.of(contract.family().name()));
        outputs.get(topic).readRecordsToList().forEach(record -> {
            if (record.value() == null) {
                latest.get(topic).remove(record.key());
            } else {
                latest.get(topic).put(record.key(), record.value());
            }
        });
        return latest.get(topic);
    }

    @Override
    public void close() {
        driver.close();
    }
}
