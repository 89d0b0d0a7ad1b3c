package org.csphub.hub.faults;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.csphub.config.HubConfig;
import org.csphub.disclosure.MetricCell;
import org.csphub.embedded.EmbeddedKafka;
import org.csphub.hub.demo.CatchUp;
import org.csphub.metrics.AreaMetric;
import org.csphub.producers.synthetic.SyntheticExports;
import org.csphub.serde.SchemaRegistryClient;
import org.csphub.serde.SchemaRegistryException;
import org.csphub.sinks.postgres.PostgresMetricSink;
import org.csphub.sinks.postgres.PostgresSettings;
import org.csphub.sinks.snapshot.MetricSnapshotReader;
import org.csphub.streams.MetricsApplication;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.Replication;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;

/**
 * What a fault campaign checks once the hub has caught up ({@link FaultCampaign}): the raw topics against
 * the exports, the schemas the records name, the dead-letter topic, the replication of every topic, every
 * metric against a fault-free recomputation, and PostgreSQL against the topics. Each check says how many
 * values it compared and how many were wrong.
 */
final class CampaignChecks {

    private final HubConfig config;
    private final Duration timeout;
    private final Consumer<String> progress;

    CampaignChecks(final HubConfig config, final Duration timeout, final Consumer<String> progress) {
        this.config = config;
        this.timeout = timeout;
        this.progress = progress;
    }

    // ---- the raw topics --------------------------------------------------------------------------------

    /**
     * Every accepted row once on its feed's raw topic: as many records as rows accepted, and as latest
     * versions the ids the exports leave, a retraction (action DELETE) removing one.
     */
    FaultCampaign.Check raw(final FeedCatalog catalog, final Path exports,
            final Map<String, Long> accepted, final Map<String, Long> rejected) throws IOException {
        long checked = 0;
        long wrong = 0;
        final List<String> examples = new ArrayList<>();
        for (final Feed feed : catalog.feeds()) {
            final Set<String> expected = new HashSet<>();
            forEachRow(SyntheticExports.fileOf(exports, feed), row -> expected.add(row.get(0)));
            final Path corrections = SyntheticExports.correctionsOf(exports, feed);
            if (Files.isRegularFile(corrections)) {
                forEachRow(corrections, row -> {
                    if ("DELETE".equals(row.get("action"))) {
                        expected.remove(row.get(0));
                    } else {
                        expected.add(row.get(0));
                    }
                });
            }
            final Map<String, byte[]> latest = new HashMap<>();
            final long records = readAll(config, feed.rawTopic(), record -> {
                final String id = new String(record.key(), StandardCharsets.UTF_8);
                if (record.value() == null) {
                    latest.remove(id);
                } else {
                    latest.put(id, record.value());
                }
            });
            checked += records;
            final long sent = accepted.getOrDefault(feed.slug(), 0L);
            if (records != sent) {
                wrong += Math.abs(records - sent);
                examples.add(String.format("%s: %d records for %d rows accepted", feed.rawTopic(), records, sent));
            }
            if (rejected.getOrDefault(feed.slug(), 0L) == 0) {
                final Set<String> missing = new HashSet<>(expected);
                missing.removeAll(latest.keySet());
                final Set<String> extra = new HashSet<>(latest.keySet());
                extra.removeAll(expected);
                wrong += missing.size() + extra.size();
                missing.stream().limit(3).forEach(id -> examples.add(feed.rawTopic() + ": " + id + " missing"));
                extra.stream().limit(3).forEach(id -> examples.add(feed.rawTopic() + ": " + id + " retracted, still there"));
            }
        }
        return new FaultCampaign.Check("raw records (every accepted row once)", checked, wrong, examples);
    }

    private static void forEachRow(final Path file, final Consumer<CSVRecord> action) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).forEach(action);
        }
    }

    /**
     * Every record's key and value name a schema the registry still has: a schema it lost in a crash makes
     * every record written with it unreadable, to the topologies as to any outside client.
     */
    FaultCampaign.Check schemas(final List<String> topics) {
        final Map<Integer, Long> recordsBySchema = new TreeMap<>();
        long checked = 0;
        for (final String topic : topics) {
            checked += readAll(config, topic, record -> {
                for (final byte[] bytes : new byte[][] {record.key(), record.value()}) {
                    // the wire format: a zero byte, then the schema id in four bytes
                    if (bytes != null && bytes.length > 4 && bytes[0] == 0) {
                        recordsBySchema.merge(ByteBuffer.wrap(bytes, 1, 4).getInt(), 1L, Long::sum);
                    }
                }
            });
        }
        final SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryClient.Settings.of(
                config.schemaRegistryUrl()));
        long wrong = 0;
        final List<String> examples = new ArrayList<>();
        for (final Map.Entry<Integer, Long> schema : recordsBySchema.entrySet()) {
            try {
                registry.schemaById(schema.getKey());
            } catch (SchemaRegistryException e) {
                wrong += schema.getValue();
                examples.add("schema id " + schema.getKey() + " of " + schema.getValue() + " records: " + e.getMessage());
            }
        }
        return new FaultCampaign.Check("records whose schema the registry has", checked, wrong, examples);
    }

    /**
     * Every partition of the hub's topics and of Kafka Streams' internal topics has the replicas the cluster
     * calls for, and each topic the matching {@code min.insync.replicas}.
     */
    static FaultCampaign.Check replication(final Admin admin, final Replication replication) throws Exception {
        final List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(name -> name.startsWith("csp.") || name.startsWith(MetricsApplication.APPLICATION_ID + "-"))
                .sorted().toList();
        long checked = 0;
        long wrong = 0;
        final List<String> examples = new ArrayList<>();
        for (final TopicDescription description : admin.describeTopics(topics).allTopicNames()
                .get(30, TimeUnit.SECONDS).values()) {
            for (final TopicPartitionInfo partition : description.partitions()) {
                checked++;
                if (partition.replicas().size() != replication.factor()) {
                    wrong++;
                    if (examples.size() < 5) {
                        examples.add(description.name() + "-" + partition.partition() + ": "
                                + partition.replicas().size() + " replicas, not " + replication.factor());
                    }
                }
            }
        }
        final Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all().get(30, TimeUnit.SECONDS);
        for (final Map.Entry<ConfigResource, Config> config : configs.entrySet()) {
            final String minInSync = config.getValue().get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value();
            if (!Integer.toString(replication.minInSyncReplicas()).equals(minInSync)) {
                wrong++;
                if (examples.size() < 5) {
                    examples.add(config.getKey().name() + ": min.insync.replicas " + minInSync + ", not "
                            + replication.minInSyncReplicas());
                }
            }
        }
        return new FaultCampaign.Check(String.format("partitions with %d replicas, topics with min.insync.replicas %d",
                replication.factor(), replication.minInSyncReplicas()), checked, wrong, examples);
    }

    /** Nothing of a valid replay went to the topologies' dead-letter topic: a record there is a value lost. */
    FaultCampaign.Check deadLetters() {
        final long deadLetters = readAll(config, Topics.DLQ_STREAMS, record -> { });
        return new FaultCampaign.Check("records on the topologies' dead-letter topic " + Topics.DLQ_STREAMS, deadLetters, deadLetters,
                deadLetters == 0 ? List.of() : List.of(deadLetters + " records could not be read or processed"));
    }

    /** Reads a topic from its beginning to its end, committed records only; returns how many there were. */
    private static long readAll(final HubConfig config, final String topic,
            final Consumer<ConsumerRecord<byte[], byte[]>> action) {
        final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long records = 0;
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    action.accept(record);
                    records++;
                }
            }
            return records;
        }
    }

    // ---- the metrics ------------------------------------------------------------------------------------

    /** The latest value of every cell of each topic. */
    Map<String, Map<MetricCell, AreaMetric>> latest(final HubConfig config, final List<String> topics)
            throws Exception {
        final Map<String, Map<MetricCell, AreaMetric>> latest = new TreeMap<>();
        for (final String topic : topics) {
            final Map<MetricCell, AreaMetric> cells = new HashMap<>();
            new MetricSnapshotReader(List.of(topic), config.kafkaClientProperties(), config.serdeProperties(),
                    Clock.systemUTC()).read(timeout).metrics()
                    .forEach(metric -> cells.put(MetricCell.of(metric), metric));
            latest.put(topic, cells);
        }
        return latest;
    }

    /**
     * The latest version of every raw record, copied once to a fresh broker of its own, through the same
     * topologies there without a fault; every metric and published value must be the same.
     */
    FaultCampaign.Check recomputation(final FeedCatalog catalog, final Path work,
            final Map<String, Map<MetricCell, AreaMetric>> hub) throws Exception {
        progress.accept("recomputing from the latest raw records on a broker of its own");
        try (EmbeddedKafka reference = EmbeddedKafka.start(work.resolve("reference"), 0, Map.of(), timeout);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        reference.bootstrapServers()))) {
            final HubConfig again = config.with(Map.of(HubConfig.BOOTSTRAP_SERVERS, reference.bootstrapServers(),
                    HubConfig.DATA_DIR, work.resolve("reference-hub").toString()));
            new TopicProvisioner(admin, TopicProvisioner.Layout.of(config.getInt(HubConfig.TOPIC_PARTITIONS),
                    (short) 1), catalog).ensureAll();
            copyLatest(config, again, catalog.rawTopics());
            final Properties properties = MetricsApplication.properties(again, "127.0.0.1:1");
            try (MetricsApplication topologies = new MetricsApplication(
                    MetricsApplication.topology(again, catalog, properties), properties)) {
                topologies.start();
                CatchUp.await("the reference topologies to be RUNNING",
                        () -> topologies.streams().state() == KafkaStreams.State.RUNNING, timeout);
                new CatchUp(admin).awaitGroup(properties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                        catalog.rawTopics(), catalog.metricAndPublishedTopics(), topologies::settled,
                        timeout, lag -> { });
            }
            final Map<String, Map<MetricCell, AreaMetric>> expected = latest(again, catalog.metricAndPublishedTopics());
            long checked = 0;
            long wrong = 0;
            final List<String> examples = new ArrayList<>();
            for (final String topic : catalog.metricAndPublishedTopics()) {
                final Difference difference = compare(topic, hub.get(topic), expected.get(topic));
                checked += difference.checked();
                wrong += difference.wrong();
                examples.addAll(difference.examples());
            }
            return new FaultCampaign.Check("metric and published values (= a fault-free recomputation)", checked, wrong,
                    examples.subList(0, Math.min(5, examples.size())));
        }
    }

    private static void copyLatest(final HubConfig from, final HubConfig to, final List<String> topics) {
        final Map<String, Object> producer = new HashMap<>(to.kafkaClientProperties());
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> copy = new KafkaProducer<>(producer, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (final String topic : topics) {
                final Map<String, ConsumerRecord<byte[], byte[]>> latest = new LinkedHashMap<>();
                readAll(from, topic, record -> {
                    final String key = new String(record.key(), StandardCharsets.UTF_8);
                    latest.remove(key);
                    if (record.value() != null) {
                        latest.put(key, record);
                    }
                });
                latest.values().forEach(record -> copy.send(new ProducerRecord<>(topic, record.partition(),
                        record.timestamp(), record.key(), record.value())));
            }
            copy.flush();
        }
    }

    private record Difference(long checked, long wrong, List<String> examples) {
    }

    /** Every cell of either side, the same on both (the time of the last change aside). */
    private static Difference compare(final String where, final Map<MetricCell, AreaMetric> actual,
            final Map<MetricCell, AreaMetric> expected) {
        final Set<MetricCell> cells = new HashSet<>(expected.keySet());
        cells.addAll(actual.keySet());
        long wrong = 0;
        final List<String> examples = new ArrayList<>();
        for (final MetricCell cell : cells) {
            final AreaMetric got = actual.get(cell);
            final AreaMetric want = expected.get(cell);
            if (!same(got, want)) {
                wrong++;
                if (examples.size() < 3) {
                    examples.add(where + " " + cell + ": " + describe(got) + ", expected " + describe(want));
                }
            }
        }
        return new Difference(cells.size(), wrong, examples);
    }

    private static boolean same(final AreaMetric a, final AreaMetric b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.getValue(), b.getValue()) && Objects.equals(a.getNumerator(), b.getNumerator())
                && Objects.equals(a.getDenominator(), b.getDenominator()) && a.getSuppressed() == b.getSuppressed()
                && Objects.equals(a.getAreaName(), b.getAreaName());
    }

    private static String describe(final AreaMetric metric) {
        return metric == null ? "absent" : metric.getSuppressed() ? "withheld" : String.valueOf(metric.getValue());
    }

    // ---- PostgreSQL -------------------------------------------------------------------------------------

    /** The sink's tables equal the latest values of the metric and published topics. */
    static FaultCampaign.Check tables(final PostgresSettings database, final FeedCatalog catalog,
            final Map<String, Map<MetricCell, AreaMetric>> hub) throws Exception {
        final PostgresMetricSink.StoredTables tables = PostgresMetricSink.storedTables(database);
        final Map<MetricCell, AreaMetric> metrics = new HashMap<>();
        final Map<MetricCell, AreaMetric> published = new HashMap<>();
        catalog.metricTopics().forEach(topic -> metrics.putAll(hub.get(topic)));
        catalog.publishedTopics().forEach(topic -> published.putAll(hub.get(topic)));
        final Difference rows = compare("area_metric", byCell(tables.metrics()), metrics);
        final Difference publishedRows = compare("published_area_metric", byCell(tables.published()), published);
        return new FaultCampaign.Check("PostgreSQL rows (= the topics' latest values)", rows.checked() + publishedRows.checked(),
                rows.wrong() + publishedRows.wrong(),
                Stream.concat(rows.examples().stream(), publishedRows.examples().stream()).limit(5).toList());
    }

    private static Map<MetricCell, AreaMetric> byCell(final List<AreaMetric> rows) {
        final Map<MetricCell, AreaMetric> cells = new HashMap<>();
        rows.forEach(row -> cells.put(MetricCell.of(row), row));
        return cells;
    }
}
