package org.csphub.embedded;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), run as a child JVM
 * from the Kafka jars on this process's class path, bound to loopback only. Its storage lives in
 * {@code dataDir/kafka} and is reused by a later start.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> brokerConfig;
    private final String clientListenerName;
    private final String interBrokerListenerName;
    /** The inter-broker listener's port when it is not the client listener, else the client port. */
    private final int interBrokerPort;
    private final Map<String, Object> readinessClientConfig;
    private ChildProcess process;

    private EmbeddedKafka(final Path dataDir, final int port, final int controllerPort,
            final Map<String, String> brokerConfig, final String clientListenerName,
            final String interBrokerListenerName, final Map<String, Object> readinessClientConfig) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.brokerConfig = brokerConfig;
        this.clientListenerName = clientListenerName;
        this.interBrokerListenerName = interBrokerListenerName;
        this.interBrokerPort = clientListenerName.equals(interBrokerListenerName) ? port : Ports.freeIfZero(0);
        this.readinessClientConfig = readinessClientConfig;
    }

    /**
     * Starts a plain-text broker.
     *
     * @param port the client port, or 0 for a free one
     * @param overrides broker properties that replace or add to the defaults
     */
    public static EmbeddedKafka start(final Path dataDir, final int port, final Map<String, String> overrides,
            final Duration timeout) throws IOException, TimeoutException, InterruptedException {
        return start(dataDir, port, overrides, "PLAINTEXT", Map.of(), timeout);
    }

    /**
     * Starts a broker that authenticates every client with SASL/SCRAM-SHA-512 and authorizes it by
     * ACLs, denying what no ACL allows. The credentials of {@code security}'s principals are created
     * when the storage is formatted (first start); a principal added later is created through the
     * administrator's connection once the broker is up. Each principal's client settings are then
     * written beside its password (see {@link ScramSecurity}). With {@link ScramSecurity#tls()} the
     * client listener speaks SASL_SSL, and the broker talks to itself on a second loopback listener.
     *
     * @param overrides broker properties on top of the security settings
     */
    public static EmbeddedKafka startSecure(final Path dataDir, final int port, final ScramSecurity security,
            final Map<String, String> overrides, final Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        final Path storage = dataDir.toAbsolutePath().resolve("kafka").resolve("data").resolve("meta.properties");
        if (Files.exists(storage) && security.newlyCreated().contains(ScramSecurity.ADMIN)) {
            throw new IllegalStateException("The broker storage in " + storage.getParent()
                    + " was formatted without security (no administrator credential in " + security.folder()
                    + "); start the secure broker in a new data folder");
        }
        final Map<String, String> config = new LinkedHashMap<>(security.brokerConfig());
        config.putAll(overrides);
        final EmbeddedKafka kafka = start(dataDir, port, config, ScramSecurity.LISTENER,
                security.interBrokerListener(), security.clientConfig(ScramSecurity.ADMIN), timeout);
        try {
            kafka.addCredentials(security);
            security.writeCredentialFiles(kafka.bootstrapServers());
        } catch (RuntimeException | InterruptedException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    private void addCredentials(final ScramSecurity security) throws InterruptedException {
        final List<UserScramCredentialAlteration> upserts = security.newlyCreated().stream()
                .<UserScramCredentialAlteration>map(name -> new UserScramCredentialUpsertion(name,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), security.password(name)))
                .toList();
        if (upserts.isEmpty()) {
            return;
        }
        final Map<String, Object> config = new LinkedHashMap<>(security.clientConfig(ScramSecurity.ADMIN));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create the SCRAM credentials of " + security.newlyCreated()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts a broker whose client listener is named {@code clientListenerName} (its security
     * protocol set in {@code overrides}), checking readiness with {@code readinessClientConfig}.
     */
    public static EmbeddedKafka start(final Path dataDir, final int port, final Map<String, String> overrides,
            final String clientListenerName, final Map<String, Object> readinessClientConfig,
            final Duration timeout) throws IOException, TimeoutException, InterruptedException {
        return start(dataDir, port, overrides, clientListenerName, clientListenerName, readinessClientConfig,
                timeout);
    }

    /**
     * As {@link #start(Path, int, Map, String, Map, Duration)}, with the broker talking to itself through
     * {@code interBrokerListenerName}; when that is not the client listener, it gets a loopback port of its
     * own (clients are told only of the listener they connected through).
     */
    static EmbeddedKafka start(final Path dataDir, final int port, final Map<String, String> overrides,
            final String clientListenerName, final String interBrokerListenerName,
            final Map<String, Object> readinessClientConfig, final Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        final EmbeddedKafka kafka = new EmbeddedKafka(dataDir.toAbsolutePath(), Ports.freeIfZero(port),
                Ports.freeIfZero(0), Map.copyOf(overrides), clientListenerName, interBrokerListenerName,
                Map.copyOf(readinessClientConfig));
        kafka.startProcess(timeout);
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The port of the listener the broker talks to itself through (the client port unless they differ). */
    int interBrokerPort() {
        return interBrokerPort;
    }

    public Path logFile() {
        return process.logFile();
    }

    /** The child process's id. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the broker gracefully; {@link #restart(Duration)} brings it back on the same port and storage. */
    public void stop() {
        if (process != null) {
            process.close();
        }
    }

    /** Ends the broker at once, as a crash or a power cut would. */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    public void restart(final Duration timeout) throws IOException, TimeoutException, InterruptedException {
        stop();
        startProcess(timeout);
    }

    private void startProcess(final Duration timeout) throws IOException, TimeoutException, InterruptedException {
        final Path workDir = dataDir.resolve("kafka");
        Files.createDirectories(workDir);
        final Path propertiesFile = workDir.resolve("server.properties");
        final Properties props = new Properties();
        props.putAll(serverProperties(workDir));
        try (OutputStream out = Files.newOutputStream(propertiesFile)) {
            props.store(out, "Written by csp-hub's embedded stack at each start");
        }
        final long started = System.nanoTime();
        process = ChildProcess.startJava("kafka-broker", JavaRuntime.current(),
                List.of("-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-Djava.awt.headless=true",
                        "-Dlog4j2.configurationFile=" + writeLogConfig(workDir)),
                absoluteClassPath(), KafkaBrokerMain.class.getName(),
                List.of(propertiesFile.toString()), workDir);
        try {
            Deadline.await("The Kafka broker's start on " + bootstrapServers(), timeout, this::answers,
                    () -> !process.isAlive());
        } catch (IllegalStateException | TimeoutException e) {
            final String tail = process.logTail(40);
            process.close();
            throw new IllegalStateException(e.getMessage() + "; its log " + process.logFile() + " ends:\n" + tail, e);
        }
        LOG.info("Kafka broker ready on {} in {} ms (storage {})", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), workDir);
    }

    /** This JVM's class path with every entry absolute, since the child runs in another folder. */
    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private Map<String, String> serverProperties(final Path workDir) {
        final Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        final String internal = clientListenerName.equals(interBrokerListenerName) ? ""
                : "," + interBrokerListenerName + "://127.0.0.1:" + interBrokerPort;
        props.put("listeners", clientListenerName + "://127.0.0.1:" + port + internal
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", clientListenerName + "://127.0.0.1:" + port + internal);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", interBrokerListenerName);
        props.put("listener.security.protocol.map", clientListenerName.equals("PLAINTEXT")
                ? "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                : clientListenerName + ":PLAINTEXT"
                        + (internal.isEmpty() ? "" : "," + interBrokerListenerName + ":PLAINTEXT")
                        + ",CONTROLLER:PLAINTEXT");
        props.put("log.dirs", workDir.resolve("data").toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        props.putAll(brokerConfig);
        return props;
    }

    private static Path writeLogConfig(final Path workDir) throws IOException {
        final Path file = workDir.resolve("log4j2.properties");
        Files.writeString(file, String.join("\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = out",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = warn",
                "rootLogger.appenderRef.out.ref = out",
                "logger.kafka.name = kafka",
                "logger.kafka.level = warn",
                "logger.server.name = kafka.server.KafkaRaftServer",
                "logger.server.level = info",
                ""));
        return file;
    }

    private boolean answers() {
        if (!Tcp.accepts(port)) {
            return false;
        }
        final Map<String, Object> config = new LinkedHashMap<>(readinessClientConfig);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(config)) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
