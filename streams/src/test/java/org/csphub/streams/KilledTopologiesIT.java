package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.streams.BatchMetrics.withoutTimes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.csphub.config.HubConfig;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.disclosure.MetricCell;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.embedded.ParentWatchdog;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.geography.Area;
import org.csphub.geography.Geography;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.serde.AvroDeserializer;
import org.csphub.serde.AvroSerializer;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topologies' process killed outright (SIGKILL, no shutdown hook, no last commit) twice in the
 * middle of a backlog, on a broker and registry of the test's own: once while the combiner holds the
 * backlog's cell changes in memory (the raw topic read and committed, nothing passed on yet), and once
 * when the combiner has passed them on to the series and the emitters hold the changed series. Each
 * time the process starts again on the state folder it left. In the end every metric on {@code csp.metrics.asb} equals a batch computation over the
 * latest version of every record, and {@code csp.published.asb} equals disclosure control over the
 * whole of that computation: nothing lost, nothing counted twice.
 */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KilledTopologiesIT {

    private static final String RAW = "csp.raw.police-asb";
    private static final String METRICS = "csp.metrics.asb";
    private static final String PUBLISHED = Topics.PUBLISHED_PREFIX + "asb";
    private static final int SENDS = 12_000;
    private static final Instant START = Instant.parse("2019-04-01T00:00:00Z");
    private static final Duration STAGE = Duration.ofMinutes(3);
    private static final Duration SETTLE = Duration.ofMinutes(5);

    @TempDir
    Path work;

    private final Random random = new Random(20_191_201L);
    private final Map<String, AsbIncident> current = new LinkedHashMap<>();

    @Test
    void shouldPublishWhatABatchComputationGivesAfterTheProcessIsKilledTwiceInABacklog() throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.ephemeral(
                EmbeddedStackExtension.freshDataDir()));
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.bootstrapServers()))) {
            new TopicProvisioner(admin, TopicProvisioner.Layout.of(3, (short) 1)).ensureAll();
            produce(stack);
            final Path state = work.resolve("topologies");

            final Process first = start(stack, state, "first");
            final long raw = end(admin, RAW);
            awaitOrFail(first, "the topologies to commit the whole raw topic", () -> committed(admin) == raw);
            assertThat(end(admin, METRICS)).as("nothing passed on yet: the backlog's changes are held").isZero();
            kill(first);

            final Process second = start(stack, state, "second");
            awaitOrFail(second, "the held changes to reach the series", () -> end(admin, bySeries(admin)) > 0);
            kill(second);

            final Process third = start(stack, state, "third");
            try {
                final RecomputationTest.Batch batch = new RecomputationTest.Batch();
                current.values().forEach(batch::asb);
                final Map<AreaMetricKey, AreaMetric> computed = batch.metrics("asb");
                final Map<AreaMetricKey, AreaMetric> published = new LinkedHashMap<>();
                DisclosureControl.of(HubConfig.defaultsOnly(), Geography.defaults()).apply(computed.values())
                        .forEach(metric -> published.put(MetricCell.of(metric).toKey(), metric));
                try (LatestValues metrics = new LatestValues(stack, METRICS);
                        LatestValues disclosed = new LatestValues(stack, PUBLISHED)) {
                    final long deadline = System.nanoTime() + SETTLE.toNanos();
                    while (System.nanoTime() - deadline < 0 && third.isAlive()
                            && !(metrics.read().equals(computed) && disclosed.read().equals(published))) {
                        // each read waits on the topics themselves: it polls until two polls in a row bring nothing
                    }
                    assertThat(third.isAlive()).as("the third process runs on").isTrue();
                    BatchMetrics.assertSame(metrics.read(), computed);
                    BatchMetrics.assertSame(disclosed.read(), published);
                }
                assertThat(committed(admin)).as("every raw record committed").isEqualTo(raw);
            } finally {
                kill(third);
            }
        }
    }

    /**
     * Incidents over two years and six wards, with corrections and retractions among them, appended an
     * hour ago by their timestamps: a backlog, as after downtime, which every stage holds and coalesces.
     */
    private void produce(final EmbeddedStack stack) {
        final long appended = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        final Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", "schema.registry.url", stack.schemaRegistryUrl());
        final AvroSerializer<AsbIncident> serializer = new AvroSerializer<>();
        serializer.configure(configs, false);
        try (KafkaProducer<String, AsbIncident> producer = new KafkaProducer<>(configs, new StringSerializer(),
                serializer)) {
            for (int i = 0; i < SENDS; i++) {
                final boolean change = i > 100 && random.nextInt(100) < 20;
                final String id = change ? new ArrayList<>(current.keySet()).get(random.nextInt(current.size()))
                        : "K-" + i;
                if (change && random.nextInt(100) < 25) {
                    current.remove(id);
                    producer.send(new ProducerRecord<>(RAW, null, appended + i, id, (AsbIncident) null));
                } else {
                    final List<Area> wards = RecomputationTest.WARDS;
                    final AsbIncident incident = new AsbIncident(id, START.plusSeconds(random.nextLong(730L * 86_400)),
                            AsbCategory.values()[random.nextInt(3)], wards.get(random.nextInt(wards.size())),
                            Records.RECEIVED, null);
                    current.put(id, incident);
                    producer.send(new ProducerRecord<>(RAW, null, appended + i, id, incident));
                }
            }
            producer.flush();
        }
        assertThat(current).as("incidents current after the corrections and retractions").hasSizeGreaterThan(8_000);
    }

    /** The topologies of the ASB feed in a process of their own, its output in the build's log folder. */
    private Process start(final EmbeddedStack stack, final Path state, final String name) throws Exception {
        final Path logs = Files.createDirectories(Path.of(System.getProperty("csphub.test.work", "target/it-work"))
                .toAbsolutePath().resolve("killed-topologies"));
        final List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), ParentWatchdog.class.getName(),
                TopologiesProcess.class.getName(), stack.bootstrapServers(), stack.schemaRegistryUrl(),
                state.toString(), "police-asb");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("CSP_HUB_"));
        return builder.start();
    }

    private static void kill(final Process process) throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the process ends when killed").isTrue();
    }

    /** Waits until {@code condition} holds while the process runs; fails when it stops or the stage's time is up. */
    private static void awaitOrFail(final Process process, final String what, final BooleanSupplier condition)
            throws InterruptedException {
        final long deadline = System.nanoTime() + STAGE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(process.isAlive()).as("the topologies' process, waiting for " + what).isTrue();
            assertThat(System.nanoTime() - deadline).as("time left waiting for " + what).isNegative();
            // waits on the process: returns at once should it end
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
    }

    /** The raw records the topologies' group has committed past. */
    private static long committed(final Admin admin) {
        try {
            final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                    MetricsApplication.APPLICATION_ID).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(entry -> entry.getKey().topic().equals(RAW)
                    && entry.getValue() != null).mapToLong(entry -> entry.getValue().offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repartition topics that carry the combiner's changes to the series. */
    private static List<String> bySeries(final Admin admin) {
        try {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).stream().filter(topic -> topic.startsWith(
                    MetricsApplication.APPLICATION_ID + "-asb-") && topic.endsWith("-by-series-repartition")).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long end(final Admin admin, final String topic) {
        return end(admin, List.of(topic));
    }

    /** The sum of the topics' end offsets. */
    private static long end(final Admin admin, final List<String> topics) {
        try {
            final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().forEach(description ->
                    description.partitions().forEach(partition -> request.put(new TopicPartition(description.name(),
                            partition.partition()), OffsetSpec.latest())));
            return admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The latest committed value of every key of a metric topic, a tombstone removing its key; without update times. */
    private static final class LatestValues implements AutoCloseable {

        private final KafkaConsumer<AreaMetricKey, AreaMetric> consumer;
        private final Map<AreaMetricKey, AreaMetric> latest = new HashMap<>();

        LatestValues(final EmbeddedStack stack, final String topic) {
            final Map<String, Object> configs = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    stack.bootstrapServers(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", "schema.registry.url",
                    stack.schemaRegistryUrl());
            final AvroDeserializer<AreaMetricKey> keys = new AvroDeserializer<>(AreaMetricKey.class);
            keys.configure(configs, true);
            final AvroDeserializer<AreaMetric> values = new AvroDeserializer<>(AreaMetric.class);
            values.configure(configs, false);
            @SuppressWarnings({"unchecked", "rawtypes"})
            final KafkaConsumer<AreaMetricKey, AreaMetric> consumer = new KafkaConsumer(configs, keys, values);
            this.consumer = consumer;
            consumer.assign(consumer.partitionsFor(topic).stream()
                    .map(partition -> new TopicPartition(topic, partition.partition())).toList());
        }

        /** What is on the topic now. */
        Map<AreaMetricKey, AreaMetric> read() {
            for (int emptyPolls = 0; emptyPolls < 2; ) {
                final var records = consumer.poll(Duration.ofMillis(200));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                for (final ConsumerRecord<AreaMetricKey, AreaMetric> record : records) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
            }
            return withoutTimes(latest);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
