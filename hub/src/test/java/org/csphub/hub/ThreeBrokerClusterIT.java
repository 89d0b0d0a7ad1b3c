package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.PeriodType;
import org.csphub.serde.AvroDeserializer;
import org.csphub.streams.MetricsApplication;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub on {@code hub stack --brokers 3}: its topics and Kafka Streams' internal topics are created with
 * three replicas of which two must be in sync, and with any one broker killed an agency's export is still
 * taken and counted, exactly once, while the cluster has two.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ThreeBrokerClusterIT {

    private static final String FEED = "police-asb";
    private static final String CSP = "cambridgeshire-and-peterborough";
    /** Wards of the exports, with their districts (ONS ward-to-district lookup, 2020). */
    private static final Map<String, String> DISTRICT_OF_WARD = Map.of(
            "E05002703", "E07000008", // Arbury, Cambridge
            "E05002709", "E07000008", // Market, Cambridge
            "E05011268", "E07000011"); // Ramsey, Huntingdonshire
    private static final List<String> WARDS = List.copyOf(new TreeMap<>(DISTRICT_OF_WARD).keySet());
    private static final List<String> CATEGORIES = List.of("PERSONAL", "NUISANCE", "ENVIRONMENTAL");
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    static Path work;

    private static EmbeddedStack stack;
    private static HubConfig config;
    private static MetricsApplication topologies;
    private static String topicsCreateOutput;

    /** One incident as the force's extract has it. */
    private record Row(String id, LocalDateTime reportedAt, String ward, String category) {
    }

    @BeforeAll
    static void startTheClusterAndTheTopologies() throws Exception {
        stack = EmbeddedStack.start(EmbeddedStack.Options.ephemeral(EmbeddedStackExtension.freshDataDir())
                .withBrokers(3));
        config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
                HubConfig.DATA_DIR, work.resolve("data").toString()));
        topicsCreateOutput = hub("topics", "create", "--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry", stack.schemaRegistryUrl(), "--data-dir", work.resolve("data").toString());
        final FeedCatalog catalog = FeedCatalog.of(config).only(List.of(FEED));
        final Properties properties = MetricsApplication.properties(config, "127.0.0.1:1");
        topologies = new MetricsApplication(MetricsApplication.topology(config, catalog, properties), properties);
        topologies.start();
        await("the topologies to be RUNNING").atMost(Duration.ofSeconds(120)).pollInSameThread().until(
                () -> topologies.streams().state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() {
        Stream.of(topologies, stack).filter(resource -> resource != null).forEach(resource -> {
            try {
                resource.close();
            } catch (Exception e) {
                // already stopped
            }
        });
    }

    private static String hub(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = HubCommand.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        assertThat(exit).as("hub %s: %s%s", String.join(" ", args), out, err).isZero();
        return out.toString();
    }

    @Test
    void shouldReplicateTheHubsTopicsAndTheInternalTopicsThreeTimesWithTwoInSync() throws Exception {
        assertThat(topicsCreateOutput).contains("replication factor 3, min.insync.replicas 2");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            final Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            final List<String> hubs = names.stream().filter(name -> name.startsWith("csp.")).sorted().toList();
            final List<String> internal = names.stream()
                    .filter(name -> name.startsWith(MetricsApplication.APPLICATION_ID + "-")).sorted().toList();
            assertThat(hubs).contains("csp.raw.police-asb", "csp.metrics.asb", "csp.published.asb", "csp.dlq.streams");
            assertThat(internal).as("Kafka Streams' changelog and repartition topics")
                    .anyMatch(name -> name.endsWith("-changelog")).anyMatch(name -> name.endsWith("-repartition"));
            final List<String> all = Stream.concat(hubs.stream(), internal.stream()).toList();

            final Map<String, TopicDescription> descriptions = admin.describeTopics(all).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            final Map<String, Integer> fewestReplicas = new TreeMap<>();
            descriptions.forEach((name, description) -> fewestReplicas.put(name, description.partitions().stream()
                    .mapToInt(partition -> partition.replicas().size()).min().orElse(0)));
            assertThat(fewestReplicas).as("the fewest replicas of a partition, by topic")
                    .allSatisfy((name, replicas) -> assertThat(replicas).as(name).isEqualTo(3));

            final List<ConfigResource> resources = all.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
            final Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            final Map<String, String> minInSync = new TreeMap<>();
            configs.forEach((resource, topicConfig) -> minInSync.put(resource.name(),
                    topicConfig.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()));
            assertThat(minInSync).as("min.insync.replicas by topic")
                    .allSatisfy((name, value) -> assertThat(value).as(name).isEqualTo("2"));
        }
    }

    @Test
    void shouldCountEveryRowOfExportsPublishedWhileABrokerIsDown() throws Exception {
        final Map<String, Row> latest = new LinkedHashMap<>();
        final Random random = new Random(3);

        stack.kafka().kill(3);
        final List<Row> first = rows(random, 1, 120);
        publish("asb-first.csv", first);
        first.forEach(row -> latest.put(row.id(), row));
        awaitMetrics(latest, "with broker 3 down");
        stack.kafka().restart(3, Duration.ofSeconds(120));

        stack.kafka().kill(1);
        // corrections of a third of the first export (another ward, category or month), and new incidents
        final List<Row> second = new ArrayList<>(rows(random, 1, 40));
        second.addAll(rows(random, 121, 80));
        publish("asb-second.csv", second);
        second.forEach(row -> latest.put(row.id(), row));
        awaitMetrics(latest, "with broker 1, the first of the bootstrap list, down");
        stack.kafka().restart(1, Duration.ofSeconds(120));

        assertThat(rawRecords()).as("records on csp.raw.police-asb, read committed")
                .isEqualTo((long) first.size() + second.size());
    }

    private static List<Row> rows(final Random random, final int firstId, final int count) {
        final List<Row> rows = new ArrayList<>();
        for (int i = firstId; i < firstId + count; i++) {
            rows.add(new Row("ASB" + (100_000 + i), LocalDateTime.of(2020, 3 + random.nextInt(3),
                    1 + random.nextInt(28), random.nextInt(24), random.nextInt(60)),
                    WARDS.get(random.nextInt(WARDS.size())), CATEGORIES.get(random.nextInt(CATEGORIES.size()))));
        }
        return rows;
    }

    private static void publish(final String name, final List<Row> rows) throws Exception {
        final Path export = work.resolve(name);
        Files.writeString(export, "incident_id,reported_at,category,ward\n" + rows.stream()
                .map(row -> row.id() + "," + row.reportedAt() + "," + row.category() + "," + row.ward())
                .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
        hub("publish", "--feed", FEED, "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry",
                stack.schemaRegistryUrl(), "--data-dir", work.resolve("data").toString(), export.toString());
    }

    /** What a plain grouping of the latest version of every incident gives: asb.incidents by month, every level. */
    private static Map<String, Double> expected(final Map<String, Row> latest) {
        final Map<String, Double> expected = new TreeMap<>();
        for (final Row row : latest.values()) {
            final String month = row.reportedAt().toLocalDate().toString().substring(0, 7);
            for (final String area : List.of("WARD " + row.ward(), "DISTRICT " + DISTRICT_OF_WARD.get(row.ward()),
                    "CSP " + CSP)) {
                expected.merge(area + " " + month, 1.0, Double::sum);
                expected.merge(area + " " + month + " category=" + row.category(), 1.0, Double::sum);
            }
        }
        return expected;
    }

    private static void awaitMetrics(final Map<String, Row> latest, final String when) {
        final Map<String, Double> expected = expected(latest);
        final Map<String, Double> actual = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            final AvroDeserializer<AreaMetricKey> keys = new AvroDeserializer<>(AreaMetricKey.class);
            final AvroDeserializer<AreaMetric> values = new AvroDeserializer<>(AreaMetric.class);
            keys.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl()), true);
            values.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl()), false);
            final List<TopicPartition> partitions = consumer.partitionsFor("csp.metrics.asb", Duration.ofSeconds(30))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            try {
                await("csp.metrics.asb to count every row " + when).atMost(WAIT).pollInSameThread().until(() -> {
                    for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        final AreaMetricKey key = keys.deserialize(record.topic(), record.key());
                        if (key.getPeriodType() != PeriodType.MONTH || !"asb.incidents".equals(key.getMetric())) {
                            continue;
                        }
                        final String cell = key.getAreaType() + " " + key.getAreaCode() + " " + key.getPeriod()
                                + (key.getDimension() == null ? "" : " " + key.getDimension() + "="
                                        + key.getDimensionValue());
                        final AreaMetric value = record.value() == null ? null
                                : values.deserialize(record.topic(), record.value());
                        // a cell whose count fell to zero is removed, as an empty cell never had one
                        if (value == null || value.getValue() == null || value.getValue() == 0.0) {
                            actual.remove(cell);
                        } else {
                            actual.put(cell, value.getValue());
                        }
                    }
                    return actual.equals(expected);
                });
            } finally {
                assertThat(actual).as("asb.incidents by month " + when).containsExactlyInAnyOrderEntriesOf(expected);
            }
        }
    }

    private static long rawRecords() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            final List<TopicPartition> partitions = consumer.partitionsFor("csp.raw.police-asb", Duration.ofSeconds(30))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long records = 0;
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                records += consumer.poll(Duration.ofMillis(500)).count();
            }
            return records;
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        final Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
