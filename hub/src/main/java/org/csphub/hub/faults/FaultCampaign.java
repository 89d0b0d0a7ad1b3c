package org.csphub.hub.faults;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.csphub.config.HubConfig;
import org.csphub.disclosure.MetricCell;
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
import org.csphub.sinks.postgres.PostgresMetricSink;
import org.csphub.sinks.postgres.PostgresSettings;
import org.csphub.streams.MetricsApplication;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.Replication;
import org.csphub.topics.TopicProvisioner;

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
        final CatchUp catchUp = new CatchUp(admin);
        catchUp.awaitGroup(MetricsApplication.APPLICATION_ID, catalog.rawTopics(), outputs,
                () -> nothingHeld(topologies), options.timeout(), lag -> { });
        final PostgresSettings database = PostgresSettings.of(config);
        final Map<TopicPartition, Long> ends = catchUp.endOffsets(all.metricAndPublishedTopics());
        CatchUp.await("the sink to store the end offsets " + ends, () -> storedAll(database, ends),
                options.timeout());

        final CampaignChecks check = new CampaignChecks(config, options.timeout(), progress);
        final List<Check> checks = new ArrayList<>();
        checks.add(check.raw(catalog, exports, accepted, rejected));
        final List<String> written = new ArrayList<>(catalog.rawTopics());
        written.addAll(outputs);
        checks.add(check.schemas(written));
        checks.add(check.deadLetters());
        checks.add(CampaignChecks.replication(admin, Replication.resolve(config.getInt(HubConfig.TOPIC_REPLICATION),
                admin)));
        final Map<String, Map<MetricCell, AreaMetric>> hub = check.latest(config, outputs);
        checks.add(check.recomputation(catalog, work, hub));
        checks.add(CampaignChecks.tables(database, catalog, hub));
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
        // the part stays away for the pause while the replay goes on
        return CompletableFuture.supplyAsync(() -> {
            try {
                return injected(number, fault, target, recovery.run());
            } catch (Exception e) {
                throw new CompletionException(target + " did not come back: " + e.getMessage(), e);
            }
        }, CompletableFuture.delayedExecutor(options.pause().toMillis(), TimeUnit.MILLISECONDS, restarts));
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
