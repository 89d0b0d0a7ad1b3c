package org.csphub.hub;

import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.csphub.contracts.FeedContract;
import org.csphub.contracts.ShippedContracts;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.geography.Area;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.producers.benchmark.ChildJava;
import org.csphub.serde.AvroDeserializer;
import org.csphub.serde.AvroSerializer;
import org.csphub.streams.MetricsApplication;
import org.csphub.streams.series.Coalescing;
import org.csphub.topics.FeedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hub streams bench}: on a fresh embedded stack, the topologies' throughput over a pre-filled
 * raw topic (first from an empty state, then over more records with those already aggregated) and
 * their append-to-metric latency at a steady input rate, beside Kafka's own ProducerPerformance and
 * ConsumerPerformance on the same broker in the same run. The topologies run as {@code hub streams}
 * in a JVM of their own with a fixed heap limit. Prints figures; asserts nothing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures the metric topologies on a fresh embedded stack: raw records/s from a pre-filled "
                + "topic (from empty, then with those records aggregated), append-to-metric latency p50/p99 at a "
                + "steady rate, and Kafka's ProducerPerformance and ConsumerPerformance on the same broker.")
final class StreamsBenchmarkCommand implements Callable<Integer> {

    private static final String CSP = "cambridgeshire-and-peterborough";
    /** The benchmark feeds the police feed's topology: its raw topic and its family's metric topic. */
    private static final FeedContract POLICE_ASB = ShippedContracts.of("police-asb");
    private static final String RAW_POLICE_ASB = POLICE_ASB.rawTopic();
    private static final String METRICS_ASB = POLICE_ASB.family().topic();
    /** The latency phase writes into a month no pre-filled record uses, so its count tells which records it holds. */
    private static final LocalDate LATENCY_DAY = LocalDate.of(2031, 1, 15);
    private static final Duration QUIET = Coalescing.BACKLOG_PAUSE.multipliedBy(2).plusSeconds(2);
    private static final String PERFORMANCE_TOPIC = "bench.streams.producer-performance";
    private static final Pattern PRODUCER_SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec.*");

    @Option(names = "--records", defaultValue = "1000000", description = "Pre-filled raw records of the first phase (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--more", defaultValue = "4000000",
            description = "Records added for the second phase, processed with the first phase's already aggregated; 0 skips it (default ${DEFAULT-VALUE}).")
    int more;

    @Option(names = "--rate", defaultValue = "1000", description = "Records per second in the latency phase (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", defaultValue = "30", description = "Length of the latency phase (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--heap", defaultValue = "512m", description = "The topologies' heap limit, -Xmx (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--feeds", paramLabel = "FEED", split = ",",
            description = "Run the metric families of these feeds only (default: every feed of the catalog); the "
                    + "records are police ASB incidents either way.")
    List<String> feeds;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where to keep the stack and state (default: a new temporary folder).")
    Path workDir;

    @Spec
    CommandSpec spec;

    /** What one processing phase measured. */
    private record Phase(long records, double seconds, double steadyRate, long peakHeapMiB) {
    }

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

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                // ProducerPerformance's topic, laid out like the raw topic it is compared with
                admin.createTopics(List.of(new NewTopic(PERFORMANCE_TOPIC, admin.describeTopics(List.of(
                        RAW_POLICE_ASB)).allTopicNames().get().get(RAW_POLICE_ASB).partitions().size(),
                        (short) 1))).all().get();
            }
            final int recordBytes = recordBytes(clients);
            final double producerPerformance = producerPerformance(stack.bootstrapServers(), recordBytes);
            out.printf("ProducerPerformance: %,d records of %d bytes = %,.0f records/s%n", records, recordBytes,
                    producerPerformance);
            out.flush();
            final long produceStart = System.nanoTime();
            prefill(clients, 0, records);
            out.printf("pre-fill (Avro AsbIncident, acks=all, idempotent): %,d records = %,.0f records/s%n", records,
                    records / ((System.nanoTime() - produceStart) / 1e9));
            final double consumerPerformance = consumerPerformance(stack.bootstrapServers());
            out.printf("ConsumerPerformance: %,d records = %,.0f records/s%n", records, consumerPerformance);
            out.flush();

            final FeedCatalog running = feeds == null ? FeedCatalog.of(config) : FeedCatalog.of(config).only(feeds);
            out.printf("metric families run: %s (%d)%n", running.contracts().stream()
                    .map(contract -> contract.family().name()).collect(Collectors.joining(", ")),
                    running.feeds().size());
            final int port = freePort();
            final List<Long> latencies;
            final Phase first;
            Phase second = null;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                Topologies topologies = Topologies.start(config, heap, port, feeds, work.resolve("topologies-1.log"));
                try {
                    first = topologies.measure(admin, 0, records);
                    out.printf("topologies, from an empty state: %,d raw records in %.1f s = %,.0f raw records/s "
                            + "(steady %,.0f/s), peak heap %d MiB%n", first.records(), first.seconds(),
                            first.records() / first.seconds(), first.steadyRate(), first.peakHeapMiB());
                    out.flush();
                    if (more > 0) {
                        topologies.close();
                        prefill(clients, records, more);
                        topologies = Topologies.start(config, heap, port, feeds, work.resolve("topologies-2.log"));
                        second = topologies.measure(admin, records, more);
                        out.printf("topologies, %,d more with %,d aggregated: %,d raw records in %.1f s = %,.0f raw "
                                + "records/s (steady %,.0f/s), peak heap %d MiB%n", more, records, second.records(),
                                second.seconds(), second.records() / second.seconds(), second.steadyRate(),
                                second.peakHeapMiB());
                        out.flush();
                    }
                    latencies = latency(clients);
                } finally {
                    topologies.close();
                }
            }
            Collections.sort(latencies);
            out.printf("append-to-metric latency at %d records/s for %d s: %d records seen, p50 %d ms, p99 %d ms, "
                    + "max %d ms%n", rate, seconds, latencies.size(), percentile(latencies, 50),
                    percentile(latencies, 99), latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
            out.printf("ratios: topologies (steady) / ProducerPerformance = %.3f, / ConsumerPerformance = %.3f%s%n",
                    first.steadyRate() / producerPerformance, first.steadyRate() / consumerPerformance,
                    second == null ? "" : String.format("; cost per record, second phase / first = %.2f",
                            first.steadyRate() / second.steadyRate()));
        }
        out.printf("Java %s, %d cores, broker and registry on the same machine%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        return 0;
    }

    private double producerPerformance(final String bootstrap, final int recordBytes) throws Exception {
        final String output = ChildJava.run(ChildJava.kafkaTool("-Xmx512m",
                "org.apache.kafka.tools.ProducerPerformance",
                "--topic", PERFORMANCE_TOPIC, "--num-records", String.valueOf(records), "--record-size",
                String.valueOf(recordBytes), "--throughput", "-1", "--producer-props",
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG + "=" + bootstrap, ProducerConfig.ACKS_CONFIG + "=all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG + "=true", ProducerConfig.LINGER_MS_CONFIG + "=10",
                ProducerConfig.BATCH_SIZE_CONFIG + "=" + 262_144));
        for (final String line : output.split("\n")) {
            final Matcher matcher = PRODUCER_SUMMARY.matcher(line.trim());
            if (matcher.matches() && Long.parseLong(matcher.group(1)) == records) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new IllegalStateException("ProducerPerformance printed no summary:\n" + output);
    }

    /** ConsumerPerformance over the pre-filled raw topic: its nMsg.sec (records/s, group join included). */
    private double consumerPerformance(final String bootstrap) throws Exception {
        final String output = ChildJava.run(ChildJava.kafkaTool("-Xmx512m",
                "org.apache.kafka.tools.ConsumerPerformance",
                "--bootstrap-server", bootstrap, "--topic", RAW_POLICE_ASB, "--messages",
                String.valueOf(records), "--group", "streams-bench-consumer-performance", "--timeout", "60000"));
        final List<String> lines = output.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            final List<String> header = List.of(lines.get(i).split(",\\s*"));
            if (header.contains("nMsg.sec")) {
                return Double.parseDouble(lines.get(i + 1).split(",\\s*")[header.indexOf("nMsg.sec")].trim());
            }
        }
        throw new IllegalStateException("ConsumerPerformance printed no summary:\n" + output);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code hub streams} in a JVM of its own, with its query and metrics endpoints on a port. */
    private static final class Topologies implements AutoCloseable {

        private static final long HEAP_SAMPLE_NANOS = Duration.ofSeconds(5).toNanos();

        private final Process process;
        private final int port;
        private final HttpClient http = HttpClient.newHttpClient();

        private Topologies(final Process process, final int port) {
            this.process = process;
            this.port = port;
        }

        static Topologies start(final HubConfig config, final String heap, final int port, final List<String> feeds,
                final Path log) throws Exception {
            final List<String> command = new ArrayList<>(ChildJava.command("-Xmx" + heap, HubCommand.class.getName(),
                    "streams", "--bootstrap-servers", config.bootstrapServers(), "--schema-registry",
                    config.schemaRegistryUrl(), "--data-dir", config.dataDir().toString(), "--port",
                    String.valueOf(port)));
            if (feeds != null) {
                command.add("--feeds=" + String.join(",", feeds));
            }
            return new Topologies(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start(), port);
        }

        /**
         * Waits until the records {@code from}..{@code from + count} of the raw topic are processed and
         * the metric topic has stopped growing; the steady rate is the raw offsets' pace between 10 % and
         * 90 % of the way.
         */
        Phase measure(final Admin admin, final long from, final long count) throws Exception {
            final long start = System.nanoTime();
            final Instant deadline = Instant.now().plus(Duration.ofMinutes(60));
            long peakHeap = 0;
            long tenth = -1;
            long ninetieth = -1;
            long outputEnd = -1;
            long outputChanged = start;
            long consumedAt = -1;
            long heapSampled = 0;
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("hub streams stopped; see its log");
                }
                if (now() - heapSampled >= HEAP_SAMPLE_NANOS) {
                    // a scrape renders every Kafka client metric, so it is taken as often as Prometheus would
                    peakHeap = Math.max(peakHeap, heapUsed());
                    heapSampled = now();
                }
                final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                        MetricsApplication.APPLICATION_ID).partitionsToOffsetAndMetadata().get();
                final long raw = committed.entrySet().stream()
                        .filter(entry -> entry.getKey().topic().equals(RAW_POLICE_ASB))
                        .mapToLong(entry -> entry.getValue().offset()).sum() - from;
                final long now = System.nanoTime();
                if (tenth < 0 && raw >= count / 10) {
                    tenth = now;
                }
                if (ninetieth < 0 && raw >= count * 9 / 10) {
                    ninetieth = now;
                }
                final long end = endOffsets(admin, METRICS_ASB);
                if (end != outputEnd) {
                    outputEnd = end;
                    outputChanged = now;
                }
                if (consumedAt < 0 && raw >= count && caughtUp(admin, committed)) {
                    consumedAt = now;
                }
                // done once every input is consumed, what the topologies held back has reached the
                // metric topic (the last records of a backlog are always held, and go on only after
                // the combiner's and then the emitters' pause), and the metric topic has stayed quiet
                // since; quiet before the end of the input does not count
                final boolean released = outputChanged > consumedAt || now - consumedAt > 3 * QUIET.toNanos();
                if (consumedAt > 0 && released && now - Math.max(outputChanged, consumedAt) > QUIET.toNanos()) {
                    final double steady = ninetieth > tenth && tenth > 0 ? count * 0.8 / ((ninetieth - tenth) / 1e9)
                            : count / ((consumedAt - start) / 1e9);
                    return new Phase(count, (Math.max(consumedAt, outputChanged) - start) / 1e9, steady,
                            peakHeap / (1024 * 1024));
                }
                Thread.sleep(250); // sampling the group's offsets; the measured intervals are far longer
            }
            throw new IllegalStateException("The topologies did not catch up within 60 minutes");
        }

        private static long now() {
            return System.nanoTime();
        }

        /** The heap the topologies' JVM uses now, from its Prometheus endpoint; 0 until it answers. */
        private long heapUsed() {
            try {
                final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return (long) response.body().lines().filter(line -> line.startsWith("jvm_memory_used_bytes{")
                                && line.contains("area=\"heap\""))
                        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
            } catch (Exception e) {
                return 0;
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static long endOffsets(final Admin admin, final String topic) throws Exception {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(partition -> latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

    /**
     * Whether the application has consumed everything it reads: its committed offsets reach the end of
     * every raw, repartition and subscription topic (a transaction marker may sit after the last
     * record, so one offset of lag is no work left).
     */
    private static boolean caughtUp(final Admin admin, final Map<TopicPartition, OffsetAndMetadata> committed)
            throws Exception {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        if (latest.isEmpty()) {
            return false;
        }
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
        return committed.entrySet().stream().allMatch(entry -> ends.get(entry.getKey()) != null
                && ends.get(entry.getKey()).offset() - entry.getValue().offset() <= 1);
    }

    private static long percentile(final List<Long> sorted, final int percent) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }

    private static final List<Area> WARDS = wards();

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

    /** Records {@code from}..{@code from + count}: a year and a half of incidents over 40 wards in 5 districts, each id once. */
    private void prefill(final Map<String, Object> clients, final long from, final long count) {
        final Random random = new Random(from + 1);
        try (KafkaProducer<String, AsbIncident> producer = producer(clients)) {
            for (long i = from; i < from + count; i++) {
                final String id = "B" + i;
                producer.send(new ProducerRecord<>(RAW_POLICE_ASB, id, incident(id, random)));
            }
        }
    }

    private static AsbIncident incident(final String id, final Random random) {
        return new AsbIncident(id, Instant.parse("2019-04-01T00:00:00Z").plusSeconds(random.nextInt(540 * 86_400)),
                AsbCategory.values()[random.nextInt(3)], WARDS.get(random.nextInt(WARDS.size())), Instant.EPOCH, null);
    }

    /** The size of a pre-filled record in the wire format, for ProducerPerformance's records. */
    private static int recordBytes(final Map<String, Object> clients) {
        final AvroSerializer<AsbIncident> serializer = new AvroSerializer<>();
        serializer.configure(clients, false);
        return serializer.serialize(RAW_POLICE_ASB, incident("B1000000", new Random(1))).length;
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
        final Area ward = WARDS.get(0);
        try (KafkaConsumer<AreaMetricKey, AreaMetric> consumer = new KafkaConsumer<>(configs, keys, values);
                KafkaProducer<String, AsbIncident> producer = producer(clients)) {
            consumer.subscribe(List.of(METRICS_ASB));
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
                    producer.send(new ProducerRecord<>(RAW_POLICE_ASB, id, new AsbIncident(id,
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
