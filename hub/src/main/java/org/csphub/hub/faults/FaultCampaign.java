package org.csphub.hub.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.OffsetSpec;
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
import org.csphub.embedded.EmbeddedPostgres;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.geography.Geography;
import org.csphub.hub.demo.CatchUp;
import org.csphub.metrics.AreaMetric;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSummary;
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
 * A fault campaign: generated exports of four feeds, corrections and retractions among them, replayed
 * through the whole hub (a Kafka cluster, the registry, {@code hub streams} and {@code hub sink postgres}
 * in processes of their own, PostgreSQL), while faults drawn from a seed hit it: SIGKILL of a broker
 * (started again after a pause), of the topologies, of the sink or of the registry (started again at once),
 * and a stop of PostgreSQL (started again after a pause). The faults fall between the exports' publications
 * and after the last, while the topologies and the sink work through the backlog.
 *
 * <p>When everything has caught up it checks three things:
 * <ul>
 * <li>the raw topics hold every accepted row once: as many records as rows were accepted, and as latest
 *     versions exactly the ids the exports leave (a retraction removes one);</li>
 * <li>every value of the metric and published topics equals a fault-free recomputation: the latest version
 *     of every raw record, once, through the same topologies on a fresh broker of its own (the definitions
 *     themselves are checked against an independent batch computation by {@code RecomputationTest});</li>
 * <li>PostgreSQL's {@code area_metric} and {@code published_area_metric} equal the latest values of the
 *     metric and published topics, at the offsets the sink stored.</li>
 * </ul>
 */
public final class FaultCampaign {

    /** The feeds the campaign replays. */
    public static final List<String> FEEDS = List.of("police-asb", "ambulance-callouts", "idva-referrals",
            "fire-incidents");
    private static final String IDVA_KEY = "fault-campaign-key";
    /**
     * The topologies' consumer session: the broker's least, so that a restarted instance is given the killed
     * one's tasks after 6 s instead of Kafka's default 45 s.
     */
    private static final String SESSION_TIMEOUT_MS = "6000";

    /** What can go wrong. */
    public enum Fault {
        BROKER("SIGKILL of one broker, started again after the pause"),
        TOPOLOGIES("SIGKILL of hub streams, started again at once"),
        SINK("SIGKILL of hub sink postgres, started again at once"),
        REGISTRY("SIGKILL of the schema registry, started again at once"),
        POSTGRES("a stop of PostgreSQL, started again after the pause");

        private final String description;

        Fault(final String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * What to run: {@code faults} faults drawn from {@code seed}, on {@code brokers} brokers, over the exports
     * of {@code from} to {@code to} with a share of {@code corrections}; a broker or PostgreSQL stays down
     * {@code pause}; every wait ends after {@code timeout}.
     */
    public record Options(int faults, long seed, int brokers, YearMonth from, YearMonth to, double corrections,
            Duration pause, Duration timeout, Path workDir) {
    }

    /**
     * One fault: what, where, after which publication (0: before the first), and how long until the part hit
     * served again, counted from its restart (for a killed process, its kill).
     */
    public record Injected(int number, Fault fault, String target, int afterStep, long recoveryMillis) {
    }

    /** One check: how many values it compared and how many differed, with a few of them. */
    public record Check(String what, long checked, long wrong, List<String> examples) {
    }

    /** What the campaign did and found. */
    public record Result(List<Injected> injected, List<Check> checks, long rowsAccepted, Duration took) {

        public long wrong() {
            return checks.stream().mapToLong(Check::wrong).sum();
        }

        /** The faults by kind with their recovery times (median, max), and each check's values checked and wrong. */
        public String report() {
            final StringBuilder out = new StringBuilder(String.format("fault campaign: %d faults, %,d rows accepted, "
                    + "%.0f s in all%n", injected.size(), rowsAccepted, took.toMillis() / 1000.0));
            for (final Fault kind : Fault.values()) {
                out.append(String.format("  %-10s %s (%s)%n", kind.name().toLowerCase(Locale.ROOT),
                        recoveries(injected.stream().filter(fault -> fault.fault() == kind)), kind.description()));
            }
            out.append(String.format("  %-10s %s%n", "all", recoveries(injected.stream())));
            for (final Check check : checks) {
                out.append(String.format("  %-62s %,9d checked, %,d wrong%n", check.what(), check.checked(),
                        check.wrong()));
                check.examples().forEach(example -> out.append("      ").append(example).append('\n'));
            }
            out.append(wrong() == 0 ? "every value right" : "WRONG: " + wrong() + " values").append('\n');
            return out.toString();
        }

        private static String recoveries(final Stream<Injected> faults) {
            final long[] millis = faults.mapToLong(Injected::recoveryMillis).sorted().toArray();
            return millis.length == 0 ? String.format("%2d injected", 0) : String.format(
                    "%2d injected; serving again in median %.1f s, max %.1f s", millis.length,
                    millis[millis.length / 2] / 1000.0, millis[millis.length - 1] / 1000.0);
        }
    }

    private record Planned(Fault fault, int afterStep, int broker) {
    }

    private final Options options;
    private final Consumer<String> progress;
    private final List<AutoCloseable> resources = new ArrayList<>();
    /** Where a broker or PostgreSQL is brought back after the pause. */
    private final ExecutorService restarts = Executors.newSingleThreadExecutor(
            task -> Thread.ofPlatform().name("fault-campaign-restarts").daemon().unstarted(task));

    public FaultCampaign(final Options options, final Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    /** The faults drawn from the seed: every kind once when there are at least five, the rest at random. */
    static List<Planned> plan(final int faults, final long seed, final int steps, final int brokers) {
        final Random random = new Random(seed);
        final List<Fault> kinds = new ArrayList<>();
        for (int i = 0; i < faults; i++) {
            kinds.add(i < Fault.values().length ? Fault.values()[i]
                    : Fault.values()[random.nextInt(Fault.values().length)]);
        }
        Collections.shuffle(kinds, random);
        final List<Planned> planned = new ArrayList<>();
        for (final Fault kind : kinds) {
            planned.add(new Planned(kind, random.nextInt(steps + 1), 1 + random.nextInt(brokers)));
        }
        planned.sort((a, b) -> Integer.compare(a.afterStep(), b.afterStep()));
        return planned;
    }

    public Result run() throws Exception {
        final long started = System.nanoTime();
        resources.add(restarts::shutdownNow);
        try {
            return campaign(started);
        } finally {
            Collections.reverse(resources);
            for (final AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception e) {
                    progress.accept("closing " + resource + ": " + e.getMessage());
                }
            }
        }
    }

    private Result campaign(final long started) throws Exception {
        final Path work = Files.createDirectories(options.workDir());
        progress.accept("starting " + options.brokers() + " brokers, the registry and PostgreSQL in " + work);
        final EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Options(work.resolve("stack"), 0, 0,
                Map.of(), options.timeout()).withBrokers(options.brokers()).withPostgres(0));
        resources.add(stack);
        final EmbeddedPostgres postgres = stack.postgres().orElseThrow();
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
                HubConfig.DATA_DIR, work.resolve("hub").toString(),
                HubConfig.POSTGRES_URL, postgres.url(),
                HubConfig.IDVA_CLIENT_KEY, IDVA_KEY));
        final FeedCatalog all = FeedCatalog.of(config);
        final FeedCatalog catalog = all.only(FEEDS);
        final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
        resources.add(admin);
        // every feed's topics: the sink reads every metric topic of the catalog
        new TopicProvisioner(admin, TopicProvisioner.Layout.of(config.getInt(HubConfig.TOPIC_PARTITIONS),
                (short) config.getInt(HubConfig.TOPIC_REPLICATION)), all).ensureAll();

        final Path exports = work.resolve("exports");
        new SyntheticExports(Geography.defaults(), Clock.systemUTC()).write(new SyntheticExports.Options(
                options.from(), options.to(), options.seed(), 0, options.corrections()), exports);
        final List<Path> steps = new ArrayList<>();
        catalog.feeds().forEach(feed -> steps.add(SyntheticExports.fileOf(exports, feed)));
        catalog.feeds().stream().map(feed -> SyntheticExports.correctionsOf(exports, feed)).filter(Files::isRegularFile)
                .forEach(steps::add);

        final HubChild topologies = new HubChild("hub streams", List.of("streams", "--feeds", String.join(",", FEEDS),
                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry", stack.schemaRegistryUrl(),
                "--data-dir", work.resolve("topologies").toString()),
                Map.of("CSP_HUB_KAFKA_SESSION_TIMEOUT_MS", SESSION_TIMEOUT_MS), freePort(),
                work.resolve("logs").resolve("streams.log"));
        final HubChild sink = new HubChild("hub sink postgres", List.of("sink", "postgres",
                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry", stack.schemaRegistryUrl(),
                "--data-dir", work.resolve("sink").toString()),
                Map.of("CSP_HUB_POSTGRES_URL", postgres.url()), freePort(), work.resolve("logs").resolve("sink.log"));
        resources.add(topologies);
        resources.add(sink);
        topologies.start();
        sink.start();
        topologies.awaitReady(options.timeout());
        sink.awaitReady(options.timeout());

        final List<Planned> plan = plan(options.faults(), options.seed(), steps.size(), options.brokers());
        final List<Injected> injected = new ArrayList<>();
        final Map<String, Long> accepted = new TreeMap<>();
        final Map<String, Long> rejected = new TreeMap<>();
        try (FeedPublisher publisher = FeedPublisher.connect(config, "hub-bench-faults")) {
            final IntakeService intake = IntakeService.of(config, catalog, publisher);
            final List<CompletableFuture<Injected>> faults = new ArrayList<>();
            for (int step = 0; step <= steps.size(); step++) {
                for (final Planned fault : plan) {
                    if (fault.afterStep() == step) {
                        // one part away at a time: the one before is back first
                        faults.forEach(CompletableFuture::join);
                        faults.add(inject(faults.size() + 1, fault, stack, topologies, sink));
                    }
                }
                if (step < steps.size()) {
                    final Path file = steps.get(step);
                    final Feed feed = feedOf(catalog, file);
                    final IntakeSummary summary;
                    try (InputStream in = Files.newInputStream(file)) {
                        summary = intake.ingest(feed, file.getFileName().toString(), in, ExportFormat.CSV);
                    }
                    publisher.flush();
                    accepted.merge(feed.slug(), summary.accepted(), Long::sum);
                    rejected.merge(feed.slug(), summary.rejected(), Long::sum);
                    progress.accept(String.format("published %s: %d rows accepted, %d rejected", file.getFileName(),
                            summary.accepted(), summary.rejected()));
                }
            }
            faults.stream().map(CompletableFuture::join).forEach(injected::add);
        }

        progress.accept("waiting for the topologies and the sink to catch up");
        final List<String> outputs = catalog.metricAndPublishedTopics();
        new CatchUp(admin).awaitGroup(MetricsApplication.APPLICATION_ID, catalog.rawTopics(), outputs,
                () -> nothingHeld(topologies), options.timeout(), lag -> { });
        final PostgresSettings database = PostgresSettings.of(config);
        final Map<TopicPartition, Long> ends = endOffsets(admin, all.metricAndPublishedTopics());
        CatchUp.await("the sink to store the end offsets " + ends, () -> storedAll(database, ends),
                options.timeout());

        final List<Check> checks = new ArrayList<>();
        checks.add(checkRaw(config, catalog, exports, accepted, rejected));
        final List<String> written = new ArrayList<>(catalog.rawTopics());
        written.addAll(outputs);
        checks.add(checkSchemas(config, written));
        checks.add(checkDeadLetters(config));
        checks.add(checkReplication(admin, Replication.resolve(config.getInt(HubConfig.TOPIC_REPLICATION), admin)));
        final Map<String, Map<MetricCell, AreaMetric>> hub = latest(config, outputs);
        checks.add(checkRecomputation(config, catalog, work, hub));
        checks.add(checkTables(database, catalog, hub));
        final long rows = accepted.values().stream().mapToLong(Long::longValue).sum();
        return new Result(injected, checks, rows, Duration.ofNanos(System.nanoTime() - started));
    }

    /** A fault's second half: what brings the part back; returns how long it took to serve again, in nanoseconds. */
    private interface Recovery {
        long run() throws Exception;
    }

    /**
     * Injects a fault. A killed process is started again at once, before the replay goes on; a killed broker
     * or a stopped PostgreSQL comes back after the pause, on another thread, while the next publications run
     * without it.
     */
    private CompletableFuture<Injected> inject(final int number, final Planned fault, final EmbeddedStack stack,
            final HubChild topologies, final HubChild sink) throws Exception {
        return switch (fault.fault()) {
            case BROKER -> {
                stack.kafka().kill(fault.broker());
                yield afterPause(number, fault, "broker " + fault.broker(), () -> {
                    final long restart = System.nanoTime();
                    stack.kafka().restart(fault.broker(), options.timeout());
                    return System.nanoTime() - restart;
                });
            }
            case TOPOLOGIES, SINK -> {
                final HubChild child = fault.fault() == Fault.TOPOLOGIES ? topologies : sink;
                final long kill = System.nanoTime();
                child.kill();
                child.start();
                child.awaitReady(options.timeout());
                yield CompletableFuture.completedFuture(injected(number, fault, child.name(), System.nanoTime() - kill));
            }
            case REGISTRY -> {
                final long kill = System.nanoTime();
                stack.registry().kill();
                stack.registry().restart(options.timeout());
                yield CompletableFuture.completedFuture(injected(number, fault, "schema registry",
                        System.nanoTime() - kill));
            }
            case POSTGRES -> {
                final EmbeddedPostgres postgres = stack.postgres().orElseThrow();
                postgres.stop();
                // the sink finds the database gone and retries meanwhile
                yield afterPause(number, fault, "PostgreSQL", () -> {
                    final long restart = System.nanoTime();
                    postgres.restart(options.timeout());
                    sink.awaitReady(options.timeout());
                    return System.nanoTime() - restart;
                });
            }
        };
    }

    private CompletableFuture<Injected> afterPause(final int number, final Planned fault, final String target,
            final Recovery recovery) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(options.pause().toMillis()); // the part stays away while the replay goes on
                return injected(number, fault, target, recovery.run());
            } catch (Exception e) {
                throw new CompletionException(target + " did not come back: " + e.getMessage(), e);
            }
        }, restarts);
    }

    private Injected injected(final int number, final Planned fault, final String target, final long recoveryNanos) {
        final Injected done = new Injected(number, fault.fault(), target, fault.afterStep(),
                TimeUnit.NANOSECONDS.toMillis(recoveryNanos));
        progress.accept(String.format("fault %d: %s (%s) after publication %d, serving again in %d ms", number,
                fault.fault().description(), target, fault.afterStep(), done.recoveryMillis()));
        return done;
    }

    /** No stage of the topologies holds a change back: every {@code held-ms} on their {@code /metrics} is 0. */
    private static boolean nothingHeld(final HubChild topologies) {
        final String metrics = topologies.metrics();
        if (metrics.isEmpty()) {
            return false;
        }
        return metrics.lines().filter(line -> line.startsWith("kafka_csp_hub_coalescing_held_ms"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).noneMatch(v -> v > 0);
    }

    private static boolean storedAll(final PostgresSettings database, final Map<TopicPartition, Long> ends) {
        try {
            final Map<TopicPartition, Long> stored = PostgresMetricSink.storedPositions(database).orElse(Map.of());
            return ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                    || end.getValue().equals(stored.get(end.getKey())));
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<TopicPartition, Long> endOffsets(final Admin admin, final List<String> topics) throws Exception {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().forEach(description ->
                description.partitions().forEach(partition -> latest.put(
                        new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest())));
        final Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((partition, info) ->
                ends.put(partition, info.offset()));
        return ends;
    }

    // ---- the raw topics --------------------------------------------------------------------------------

    /**
     * Every accepted row once on its feed's raw topic: as many records as rows accepted, and as latest
     * versions the ids the exports leave, a retraction (action DELETE) removing one.
     */
    private static Check checkRaw(final HubConfig config, final FeedCatalog catalog, final Path exports,
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
        return new Check("raw records (every accepted row once)", checked, wrong, examples);
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
    private static Check checkSchemas(final HubConfig config, final List<String> topics) {
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
        return new Check("records whose schema the registry has", checked, wrong, examples);
    }

    /**
     * Every partition of the hub's topics and of Kafka Streams' internal topics has the replicas the cluster
     * calls for, and each topic the matching {@code min.insync.replicas}.
     */
    private static Check checkReplication(final Admin admin, final Replication replication) throws Exception {
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
        return new Check(String.format("partitions with %d replicas, topics with min.insync.replicas %d",
                replication.factor(), replication.minInSyncReplicas()), checked, wrong, examples);
    }

    /** Nothing of a valid replay went to the topologies' dead-letter topic: a record there is a value lost. */
    private static Check checkDeadLetters(final HubConfig config) {
        final long deadLetters = readAll(config, Topics.DLQ_STREAMS, record -> { });
        return new Check("records on the topologies' dead-letter topic " + Topics.DLQ_STREAMS, deadLetters, deadLetters,
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
    private Map<String, Map<MetricCell, AreaMetric>> latest(final HubConfig config, final List<String> topics)
            throws Exception {
        final Map<String, Map<MetricCell, AreaMetric>> latest = new TreeMap<>();
        for (final String topic : topics) {
            final Map<MetricCell, AreaMetric> cells = new HashMap<>();
            new MetricSnapshotReader(List.of(topic), config.kafkaClientProperties(), config.serdeProperties(),
                    Clock.systemUTC()).read(options.timeout()).metrics()
                    .forEach(metric -> cells.put(MetricCell.of(metric), metric));
            latest.put(topic, cells);
        }
        return latest;
    }

    /**
     * The latest version of every raw record, copied once to a fresh broker of its own, through the same
     * topologies there without a fault; every metric and published value must be the same.
     */
    private Check checkRecomputation(final HubConfig config, final FeedCatalog catalog, final Path work,
            final Map<String, Map<MetricCell, AreaMetric>> hub) throws Exception {
        progress.accept("recomputing from the latest raw records on a broker of its own");
        try (EmbeddedKafka reference = EmbeddedKafka.start(work.resolve("reference"), 0, Map.of(), options.timeout());
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
                        () -> topologies.streams().state() == KafkaStreams.State.RUNNING, options.timeout());
                new CatchUp(admin).awaitGroup(properties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                        catalog.rawTopics(), catalog.metricAndPublishedTopics(), topologies::settled,
                        options.timeout(), lag -> { });
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
            return new Check("metric and published values (= a fault-free recomputation)", checked, wrong,
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
    private static Check checkTables(final PostgresSettings database, final FeedCatalog catalog,
            final Map<String, Map<MetricCell, AreaMetric>> hub) throws Exception {
        final PostgresMetricSink.StoredTables tables = PostgresMetricSink.storedTables(database);
        final Map<MetricCell, AreaMetric> metrics = new HashMap<>();
        final Map<MetricCell, AreaMetric> published = new HashMap<>();
        catalog.metricTopics().forEach(topic -> metrics.putAll(hub.get(topic)));
        catalog.publishedTopics().forEach(topic -> published.putAll(hub.get(topic)));
        final Difference rows = compare("area_metric", byCell(tables.metrics()), metrics);
        final Difference publishedRows = compare("published_area_metric", byCell(tables.published()), published);
        return new Check("PostgreSQL rows (= the topics' latest values)", rows.checked() + publishedRows.checked(),
                rows.wrong() + publishedRows.wrong(),
                Stream.concat(rows.examples().stream(), publishedRows.examples().stream()).limit(5).toList());
    }

    private static Map<MetricCell, AreaMetric> byCell(final List<AreaMetric> rows) {
        final Map<MetricCell, AreaMetric> cells = new HashMap<>();
        rows.forEach(row -> cells.put(MetricCell.of(row), row));
        return cells;
    }

    private static Feed feedOf(final FeedCatalog catalog, final Path file) {
        final String name = file.getFileName().toString();
        return catalog.feeds().stream().filter(feed -> name.startsWith(feed.slug() + ".")).findFirst()
                .orElseThrow(() -> new IllegalStateException("No feed for " + file));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
