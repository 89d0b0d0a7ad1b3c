package org.csphub.hub;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.geography.Area;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.serde.AvroDeserializer;
import org.csphub.serde.AvroSerializer;
import org.csphub.streams.MetricsApplication;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hub streams bench}: on a fresh embedded stack, the topologies' throughput over a pre-filled
 * raw topic and their append-to-metric latency at a steady input rate, beside a plain producer's
 * and consumer's rates on the same broker. Prints figures; asserts nothing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures the metric topologies on a fresh embedded stack: raw records/s from a pre-filled "
                + "topic, and append-to-metric latency p50/p99 at a steady rate.")
final class StreamsBenchmarkCommand implements Callable<Integer> {

    private static final String CSP = "cambridgeshire-and-peterborough";
    /** The latency phase writes into a month no pre-filled record uses, so its count tells which records it holds. */
    private static final LocalDate LATENCY_DAY = LocalDate.of(2031, 1, 15);

    @Option(names = "--records", defaultValue = "1000000", description = "Pre-filled raw records (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--rate", defaultValue = "1000", description = "Records per second in the latency phase (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", defaultValue = "30", description = "Length of the latency phase (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where to keep the stack and state (default: a new temporary folder).")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("csp-hub-streams-bench");
        try (EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Options(work.resolve("stack"), 0, 0, Map.of(),
                Duration.ofSeconds(120)))) {
            final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                    HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                    HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
                    HubConfig.DATA_DIR, work.resolve("state").toString()));
            TopicSetup.ensure(config);
            final Map<String, Object> clients = new HashMap<>(config.serdeProperties());
            clients.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());

            final long produceStart = System.nanoTime();
            prefill(clients);
            final double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
            out.printf("plain producer (Avro, acks=all, idempotent): %,d records in %.1f s = %,.0f records/s%n",
                    records, produceSeconds, records / produceSeconds);
            final double consumeSeconds = consumeAll(clients);
            out.printf("plain consumer (bytes): %,d records in %.1f s = %,.0f records/s%n", records, consumeSeconds,
                    records / consumeSeconds);
            out.flush();

            final Properties properties = MetricsApplication.properties(config, "localhost:1");
            try (MetricsApplication application = new MetricsApplication(MetricsApplication.topology(config,
                    properties), properties); Admin admin = Admin.create(Map.of(
                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                final long start = System.nanoTime();
                application.start();
                final double processSeconds = awaitCaughtUp(admin, start);
                out.printf("topologies (exactly-once, RocksDB): %,d raw records fully processed in %.1f s (from "
                        + "start, rebalance included) = %,.0f raw records/s; heap used %d MiB%n", records, processSeconds,
                        records / processSeconds, usedHeapMiB());
                out.flush();
                final List<Long> latencies = latency(clients);
                Collections.sort(latencies);
                out.printf("append-to-metric latency at %d records/s for %d s: %d records seen, p50 %d ms, p99 %d ms, "
                        + "max %d ms%n", rate, seconds, latencies.size(), percentile(latencies, 50),
                        percentile(latencies, 99), latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
            }
        }
        out.printf("Java %s, %d cores, broker and registry on the same machine%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        return 0;
    }

    private static long usedHeapMiB() {
        final Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
    }

    private static long percentile(final List<Long> sorted, final int percent) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }

    private static List<Area> wards() {
        final List<Area> wards = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            final int district = i % 5;
            wards.add(new Area(String.format("E0501%04d", i), "Ward " + i, "E0700000" + (8 + district),
                    "District " + district, null));
        }
        return wards;
    }

    private KafkaProducer<String, AsbIncident> producer(final Map<String, Object> clients) {
        final Map<String, Object> configs = new HashMap<>(clients);
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        configs.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        final AvroSerializer<AsbIncident> serializer = new AvroSerializer<>();
        serializer.configure(configs, false);
        return new KafkaProducer<>(configs, new StringSerializer(), serializer);
    }

    /** A year and a half of incidents over 40 wards in 5 districts, each id once. */
    private void prefill(final Map<String, Object> clients) {
        final Random random = new Random(1);
        final List<Area> wards = wards();
        final Instant first = Instant.parse("2019-04-01T00:00:00Z");
        try (KafkaProducer<String, AsbIncident> producer = producer(clients)) {
            for (int i = 0; i < records; i++) {
                final String id = "B" + i;
                producer.send(new ProducerRecord<>(Topics.RAW_POLICE_ASB, id, new AsbIncident(id,
                        first.plusSeconds(random.nextInt(540 * 86_400)), AsbCategory.values()[random.nextInt(3)],
                        wards.get(random.nextInt(wards.size())), Instant.EPOCH, null)));
            }
        }
    }

    private double consumeAll(final Map<String, Object> clients) {
        final Map<String, Object> configs = new HashMap<>(clients);
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "streams-bench-plain-consumer");
        final long start = System.nanoTime();
        long seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.RAW_POLICE_ASB));
            final Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
            while (seen < records && Instant.now().isBefore(deadline)) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Seconds from start until the application has consumed everything: its committed offsets reach
     * the end of the raw topic and of every repartition and subscription topic it reads (a
     * transaction marker may sit after the last record, so one offset of lag is no work left).
     */
    private static double awaitCaughtUp(final Admin admin, final long start) throws Exception {
        final Instant deadline = Instant.now().plus(Duration.ofMinutes(60));
        while (Instant.now().isBefore(deadline)) {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                    MetricsApplication.APPLICATION_ID).partitionsToOffsetAndMetadata().get();
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = latest.isEmpty() ? Map.of()
                    : admin.listOffsets(latest).all().get();
            final boolean rawDone = committed.entrySet().stream()
                    .filter(entry -> entry.getKey().topic().equals(Topics.RAW_POLICE_ASB))
                    .mapToLong(entry -> entry.getValue().offset()).sum() >= ends.entrySet().stream()
                    .filter(entry -> entry.getKey().topic().equals(Topics.RAW_POLICE_ASB))
                    .mapToLong(entry -> entry.getValue().offset()).sum() && !ends.isEmpty();
            final boolean allDone = committed.entrySet().stream().allMatch(entry -> ends.get(entry.getKey()) != null
                    && ends.get(entry.getKey()).offset() - entry.getValue().offset() <= 1);
            if (rawDone && allDone) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(500); // polling the group's offsets; the measured interval is far longer
        }
        throw new IllegalStateException("The topologies did not catch up within 60 minutes");
    }

    /**
     * Sends records at the steady rate into one otherwise empty month, and reads the partnership's
     * count of that month: when it first reaches k, the k-th record has reached the metric topic.
     */
    private List<Long> latency(final Map<String, Object> clients) throws Exception {
        final int total = rate * seconds;
        final long[] sentAt = new long[total + 1];
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong reached = new AtomicLong();
        final Map<String, Object> configs = new HashMap<>(clients);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "streams-bench-latency");
        final AvroDeserializer<AreaMetricKey> keys = new AvroDeserializer<>(AreaMetricKey.class);
        keys.configure(configs, true);
        final AvroDeserializer<AreaMetric> values = new AvroDeserializer<>(AreaMetric.class);
        values.configure(configs, false);
        final Area ward = wards().get(0);
        try (KafkaConsumer<AreaMetricKey, AreaMetric> consumer = new KafkaConsumer<>(configs, keys, values);
                KafkaProducer<String, AsbIncident> producer = producer(clients)) {
            consumer.subscribe(List.of(Topics.METRICS_ASB));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            final long begin = System.nanoTime();
            int sent = 0;
            final Instant deadline = Instant.now().plus(Duration.ofSeconds(seconds + 60L));
            while (reached.get() < total && Instant.now().isBefore(deadline)) {
                final long due = Math.min(total, (System.nanoTime() - begin) * rate / 1_000_000_000L);
                while (sent < due) {
                    sent++;
                    final String id = "L" + sent;
                    sentAt[sent] = System.nanoTime();
                    producer.send(new ProducerRecord<>(Topics.RAW_POLICE_ASB, id, new AsbIncident(id,
                            LATENCY_DAY.atTime(12, 0).toInstant(ZoneOffset.UTC), AsbCategory.NUISANCE, ward,
                            Instant.EPOCH, null)));
                }
                for (final ConsumerRecord<AreaMetricKey, AreaMetric> record : consumer.poll(Duration.ofMillis(5))) {
                    final AreaMetricKey key = record.key();
                    if (record.value() != null && key.getMetric().equals("asb.incidents") && key.getDimension() == null
                            && key.getAreaType() == AreaType.CSP && key.getAreaCode().equals(CSP)
                            && key.getPeriodType() == PeriodType.MONTH && key.getPeriod().equals("2031-01")) {
                        final long now = System.nanoTime();
                        final long count = record.value().getValue().longValue();
                        for (long k = reached.get() + 1; k <= Math.min(count, sent); k++) {
                            latencies.add((now - sentAt[(int) k]) / 1_000_000);
                        }
                        reached.set(Math.max(reached.get(), Math.min(count, sent)));
                    }
                }
            }
        }
        return new ArrayList<>(latencies);
    }
}
