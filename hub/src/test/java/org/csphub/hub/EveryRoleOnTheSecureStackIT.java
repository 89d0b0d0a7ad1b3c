package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.csphub.access.AccessPolicy;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.embedded.ScramSecurity;
import org.csphub.embedded.TestPostgres;
import org.csphub.producers.intake.DropFolder;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.TopicProvisioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Every role of the example access file at work on a secure stack (SASL/SCRAM, ACLs deny by default), each
 * with only the credentials file the stack wrote for it, through the {@code hub} command line as a user
 * runs it: the administrator applies the ACLs and creates the topics; the police publish their ASB export
 * ({@code hub publish}) and the fire service drops its export into its folder ({@code hub watch}); the
 * topologies run as {@code csp-topologies}, the PostgreSQL sink as {@code csp-sinks}; the research group
 * reads the published topics and writes the report; the operations team asks {@code hub status}. Before the
 * administrator has created the topics, an agency's publish names the missing topic and who creates it.
 *
 * <p>A role's settings file is its credentials file with the role's own settings appended (the database of
 * the sink, for example), as a deployment keeps them.
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EveryRoleOnTheSecureStackIT {

    private static final String POLICE_EXPORT = """
            incident_id,reported_at,category,ward
            ASB-1,2020-09-02T10:00:00,NUISANCE,Abbey
            ASB-2,2020-09-03T11:30:00,PERSONAL,Arbury
            ASB-3,2020-09-04,ENVIRONMENTAL,Abbey
            ASB-4,2020-10-01T22:15:00,NUISANCE,Market
            ASB-5,2020-10-02T08:00:00,NOT_A_CATEGORY,Abbey
            """;
    private static final String FIRE_EXPORT = """
            incident_id,occurred_at,incident_type,cause,ward
            F-1,2020-09-05T10:00:00,PRIMARY_FIRE,DELIBERATE,Abbey
            F-2,2020-09-06T11:30:00,SECONDARY_FIRE,ACCIDENTAL,Arbury
            F-3,2020-10-07T11:30:00,CHIMNEY_FIRE,NOT_KNOWN,Market
            """;
    private static final List<String> FEEDS = List.of("police-asb", "fire-incidents");
    private static final List<String> PUBLISHED = List.of("csp.published.asb", "csp.published.fire");

    private static Path dataDir;
    private static ScramSecurity security;
    private static EmbeddedStack stack;
    private static String schema;
    private static final List<Running> running = new ArrayList<>();

    @BeforeAll
    static void startSecureStackAndApplyTheAcls() throws Exception {
        dataDir = EmbeddedStackExtension.freshDataDir();
        Files.writeString(dataDir.resolve("access.yaml"), AccessPolicy.example());
        security = ScramSecurity.prepare(dataDir, AccessPolicy.parse(AccessPolicy.example(), "access.yaml")
                .principals());
        stack = EmbeddedStack.start(EmbeddedStack.Options.ephemeral(dataDir), security);
        schema = "roles_it_" + Long.toString(System.nanoTime(), 36);
        assertThat(hub("acl", "apply", "--config", settings(ScramSecurity.ADMIN), "--access",
                dataDir.resolve("access.yaml").toString()).code()).isZero();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).stop();
        }
        if (stack != null) {
            stack.close();
        }
        if (schema != null) {
            try (Connection connection = TestPostgres.get().connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    @Order(1)
    void shouldNameTheMissingTopicAndWhoCreatesItWhenAnAgencyPublishesBeforeTheAdministratorCreatedIt()
            throws Exception {
        final Path export = Files.writeString(dataDir.resolve("asb-early.csv"), POLICE_EXPORT);

        final Result early = hub("publish", "--feed", "police-asb", "--config", settings("csp-police"),
                export.toString());

        assertThat(early.code()).isEqualTo(2);
        assertThat(early.err()).contains("topics csp.raw.police-asb, csp.dlq.police-asb do not exist")
                .contains("the administrator creates the hub's topics (`hub topics create`, or `hub stack` does it)");
        // an agency may not create the hub's topics: the administrator's command tells it whose credentials it needs
        final Result byAgency = hub("topics", "create", "--config", settings("csp-police"));
        assertThat(byAgency.code()).isEqualTo(2);
        assertThat(byAgency.err()).contains("csp.raw.police-asb").contains("csp-hub-admin.properties");
    }

    @Test
    @Order(2)
    void shouldRunEveryRoleWithOnlyItsOwnCredentials() throws Exception {
        final int topics = TopicProvisioner.allTopics(FeedCatalog.shipped()).size();
        final Result created = hub("topics", "create", "--config", settings(ScramSecurity.ADMIN));
        assertThat(created.out()).startsWith("Created " + topics + " of the hub's " + topics + " topics (partitions 1, "
                + "replication factor 1, min.insync.replicas 1); 0 were already there.");
        assertThat(hub("topics", "create", "--config", settings(ScramSecurity.ADMIN)).out())
                .startsWith("Created 0 of the hub's " + topics + " topics (partitions 1, replication factor 1, "
                        + "min.insync.replicas 1); " + topics + " were already there.");

        // the police publish their export; the row of an unknown category goes to their dead-letter topic
        final Path export = Files.writeString(dataDir.resolve("asb.csv"), POLICE_EXPORT);
        final Result published = hub("publish", "--feed", "police-asb", "--config", settings("csp-police"),
                export.toString());
        assertThat(published.code()).as("publish: %s", published.err()).isZero();
        assertThat(published.out()).contains("asb.csv (police-asb): 5 rows read, 4 accepted (0 retractions), 1 rejected");

        // the fire service's drop folder publishes the feeds its credentials may write, and its export
        final Path drop = dataDir.resolve("drop");
        final Running watch = start("watch", "watch", drop.toString(), "--port", "0", "--config",
                settings("csp-fire"));
        await("the fire service's drop folder to be watched", () -> watch.out().contains("Watching "));
        assertThat(watch.out()).contains("fire-incidents, the feeds these credentials may publish");
        final Path incoming = dataDir.resolve("fire.csv.part");
        Files.writeString(incoming, FIRE_EXPORT);
        Files.move(incoming, drop.resolve("fire-incidents").resolve("fire.csv"), StandardCopyOption.ATOMIC_MOVE);
        // the summary is printed once the file has been moved
        await("the fire export's summary", () -> watch.out().contains("fire.csv (fire-incidents)"));
        assertThat(drop.resolve("fire-incidents").resolve(DropFolder.PROCESSED).resolve("fire.csv")).exists();
        assertThat(watch.out()).contains("fire.csv (fire-incidents): 3 rows read, 3 accepted (0 retractions), 0 rejected");
        watch.stop();

        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final Running streams = start("streams", "streams", "--feeds", String.join(",", FEEDS), "--port",
                Integer.toString(port), "--advertised-host", "127.0.0.1", "--config", settings("csp-topologies"));
        final Running sink = start("sink", "sink", "postgres", "--port", "0", "--config",
                settings("csp-sinks"));

        // the research group reads what the topologies publish ...
        final Set<String> read = readPublished("csp-research");
        assertThat(read).as("published topics read by csp-research").containsAll(PUBLISHED);
        // ... and writes the partners' report from the metric topics
        final Path report = dataDir.resolve("report.html");
        final Result assessment = hub("report", "--period", "2020/21", "--audience", "partner", "--out",
                report.toString(), "--config", settings("csp-research"));
        assertThat(assessment.code()).as("report: %s", assessment.err()).isZero();
        assertThat(assessment.out()).contains("Wrote the Strategic Assessment 2020/21, partner view");
        assertThat(report).isNotEmptyFile();
        // a public reader may not read the full figures the report is written from, and is told so
        final Result publicReader = hub("report", "--period", "2020/21", "--out", dataDir.resolve("public.html")
                .toString(), "--config", settings("csp-open-data"));
        assertThat(publicReader.code()).isEqualTo(2);
        assertThat(publicReader.err()).contains("these credentials may not read csp.metrics.")
                .contains("partner readers (the research group) and the sinks");

        await("the sink to write both families to PostgreSQL", () -> families().containsAll(List.of("asb", "fire")));
        assertThat(streams.failure()).as("the topologies' failure").isNull();
        assertThat(sink.failure()).as("the sink's failure").isNull();

        // the operations team reads no raw topic, and still sees when each feed last brought records
        final Result status = hub("status", "--json", "--config", settings("csp-operations"));
        assertThat(status.err()).isEmpty();
        final JsonNode tree = new ObjectMapper().readTree(status.out());
        final JsonNode police = tree.path("feeds").path("police-asb");
        assertThat(police.path("lastReceived").isTextual()).as("police-asb's last received in %s", police).isTrue();
        assertThat(police.path("stale").asBoolean()).isFalse();
        assertThat(police.path("acceptedThisMonth").asInt()).isEqualTo(4);
        assertThat(police.path("deadLetters").asInt()).isEqualTo(1);
        assertThat(police.path("topReasons").path("NOT_IN_ENUM").asInt()).isEqualTo(1);
        final JsonNode fire = tree.path("feeds").path("fire-incidents");
        assertThat(fire.path("stale").asBoolean()).as("fire-incidents in %s", fire).isFalse();
        assertThat(fire.path("acceptedThisMonth").asInt()).isEqualTo(3);
        // the feeds nobody published are stale: the pipeline is degraded, not down
        assertThat(tree.path("exitCode").asInt()).isEqualTo(1);
        assertThat(tree.path("topologies").path(0).path("group").asText()).isEqualTo("csp-hub-metrics");
        assertThat(tree.path("topologies").path(0).path("partitions").findValuesAsText("topic"))
                .contains("csp.raw.police-asb", "csp.raw.fire-incidents");
        assertThat(tree.path("sinks").path(0).path("detail").asText()).startsWith("offsets stored in schema " + schema);
    }

    /** The families the sink's table holds. */
    private static Set<String> families() {
        try (Connection connection = TestPostgres.get().connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT DISTINCT family FROM " + schema + ".area_metric")) {
            final Set<String> families = new HashSet<>();
            while (rows.next()) {
                families.add(rows.getString(1));
            }
            return families;
        } catch (java.sql.SQLException e) {
            // the sink has not created its tables yet
            return Set.of();
        }
    }

    /** Reads the published topics as {@code principal}, in a group of its own prefix, until each has a record. */
    private static Set<String> readPublished(final String principal) {
        final Map<String, Object> config = new LinkedHashMap<>(security.clientConfig(principal));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, principal + "-roles-it");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final Set<String> read = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(PUBLISHED);
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            while (!read.containsAll(PUBLISHED) && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> read.add(record.topic()));
            }
        }
        return read;
    }

    /**
     * The settings file of a role: its credentials file, with the schema registry, a data folder of its own,
     * one partition per topic for the administrator and the sink's database for the sink and the operators.
     */
    private static String settings(final String principal) throws Exception {
        final Path file = dataDir.resolve("settings").resolve(principal + ".properties");
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            final StringBuilder settings = new StringBuilder(Files.readString(security.credentialsFile(principal)));
            settings.append(HubConfig.SCHEMA_REGISTRY_URL).append('=').append(stack.schemaRegistryUrl()).append('\n');
            settings.append(HubConfig.DATA_DIR).append('=').append(dataDir.resolve("roles").resolve(principal))
                    .append('\n');
            settings.append(HubConfig.TOPIC_PARTITIONS).append("=1\n");
            settings.append(HubConfig.INTAKE_WATCH_INTERVAL_MS).append("=200\n");
            if (principal.equals("csp-sinks") || principal.equals("csp-operations")) {
                settings.append(HubConfig.POSTGRES_URL).append('=').append(TestPostgres.get().url()).append('\n');
                settings.append(HubConfig.POSTGRES_USER).append('=').append(TestPostgres.get().user()).append('\n');
                settings.append(HubConfig.POSTGRES_SCHEMA).append('=').append(schema).append('\n');
            }
            Files.writeString(file, settings);
        }
        return file.toString();
    }

    private record Result(int code, String out, String err) {
    }

    private static Result hub(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = HubCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** A command that runs until stopped, on a thread of its own, as it runs until Ctrl-C. */
    private static final class Running {

        private final Thread thread;
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final AtomicInteger exit = new AtomicInteger(-1);
        private volatile boolean stopping;

        private Running(final String name, final String... args) {
            thread = Thread.ofPlatform().name("roles-it-" + name).start(() -> exit.set(HubCommand.commandLine(
                    new PrintWriter(out, true), new PrintWriter(err, true)).execute(args)));
        }

        String out() {
            return out.toString();
        }

        /** Why the command ended before it was stopped, or null while it runs. */
        String failure() {
            return !stopping && !thread.isAlive() ? "exit " + exit.get() + ": " + err : null;
        }

        void stop() throws InterruptedException {
            stopping = true;
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    private static Running start(final String name, final String... args) {
        final Running command = new Running(name, args);
        running.add(command);
        return command;
    }

    private static void await(final String what, final BooleanSupplier condition) {
        try {
            Awaitility.await(what).atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200))
                    .pollInSameThread()
                    // a command that ended by itself will not bring what is awaited
                    .failFast("a command ended by itself", () -> running.stream()
                            .anyMatch(command -> command.failure() != null))
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            final StringBuilder logs = new StringBuilder();
            running.forEach(command -> logs.append("\n").append(command.thread.getName()).append(": ")
                    .append(command.out()).append(command.err).append(command.failure() == null ? ""
                            : " (ended: " + command.failure() + ")"));
            throw new AssertionError("Waited for " + what + " in vain" + logs, e);
        }
    }
}
