package org.csphub.embedded;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster in KRaft mode on loopback: one or more nodes, each a combined broker and
 * controller run as a child JVM from the Kafka jars on this process's class path. The controllers form a
 * static quorum of every node, so a cluster of three keeps serving with any one node down.
 *
 * <p>Storage lives in {@code dataDir/kafka} for one node and {@code dataDir/kafka/broker-<id>} for each
 * node of a larger cluster, and is reused by a later start with the same number of nodes. In a cluster,
 * the broker-side topics (consumer offsets, transaction state) and topics created without a replication
 * factor get min(3, nodes) replicas, of which two must be in sync to accept a write when there are three.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path dataDir;
    private final List<BrokerNode> nodes;
    private final Map<String, String> brokerConfig;
    private final String clientListenerName;
    private final String interBrokerListenerName;
    private final Map<String, Object> readinessClientConfig;
    /** Known once the cluster first starts: every node is formatted with it. */
    private String clusterId;

    private EmbeddedKafka(final Path dataDir, final int brokers, final int port, final Map<String, String> brokerConfig,
            final String clientListenerName, final String interBrokerListenerName,
            final Map<String, Object> readinessClientConfig) {
        if (brokers < 1) {
            throw new IllegalArgumentException("A cluster needs at least one broker, not " + brokers);
        }
        this.dataDir = dataDir;
        this.brokerConfig = brokerConfig;
        this.clientListenerName = clientListenerName;
        this.interBrokerListenerName = interBrokerListenerName;
        this.readinessClientConfig = readinessClientConfig;
        final List<BrokerNode> all = new ArrayList<>();
        for (int id = 1; id <= brokers; id++) {
            final int clientPort = port == 0 ? Ports.freeIfZero(0) : port + id - 1;
            final int interBrokerPort = clientListenerName.equals(interBrokerListenerName) ? clientPort
                    : Ports.freeIfZero(0);
            final Path workDir = brokers == 1 ? dataDir.resolve("kafka") : dataDir.resolve("kafka").resolve("broker-" + id);
            all.add(new BrokerNode(id, clientPort, Ports.freeIfZero(0), interBrokerPort, workDir));
        }
        this.nodes = List.copyOf(all);
    }

    /**
     * Starts a plain-text single broker.
     *
     * @param port the client port, or 0 for a free one
     * @param overrides broker properties that replace or add to the defaults
     */
    public static EmbeddedKafka start(final Path dataDir, final int port, final Map<String, String> overrides,
            final Duration timeout) throws IOException, TimeoutException, InterruptedException {
        return start(dataDir, 1, port, overrides, timeout);
    }

    /**
     * Starts a plain-text cluster of {@code brokers} nodes.
     *
     * @param port the first node's client port (the next nodes take the ports after it), or 0 for free ones
     */
    public static EmbeddedKafka start(final Path dataDir, final int brokers, final int port,
            final Map<String, String> overrides, final Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        return start(dataDir, brokers, port, overrides, "PLAINTEXT", "PLAINTEXT", Map.of(), timeout);
    }

    /** As {@link #startSecure(Path, int, int, ScramSecurity, Map, Duration)} with a single broker. */
    public static EmbeddedKafka startSecure(final Path dataDir, final int port, final ScramSecurity security,
            final Map<String, String> overrides, final Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        return startSecure(dataDir, 1, port, security, overrides, timeout);
    }

    /**
     * Starts a cluster that authenticates every client with SASL/SCRAM-SHA-512 and authorizes it by
     * ACLs, denying what no ACL allows. The credentials of {@code security}'s principals are created
     * when the storage is formatted (first start); a principal added later is created through the
     * administrator's connection once the cluster is up. Each principal's client settings are then
     * written beside its password (see {@link ScramSecurity}). With {@link ScramSecurity#tls()} the
     * client listener speaks SASL_SSL, and the brokers talk to each other on a second loopback listener.
     *
     * @param overrides broker properties on top of the security settings
     */
    public static EmbeddedKafka startSecure(final Path dataDir, final int brokers, final int port,
            final ScramSecurity security, final Map<String, String> overrides, final Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        final Map<String, String> config = new LinkedHashMap<>(security.brokerConfig());
        config.putAll(overrides);
        final EmbeddedKafka kafka = new EmbeddedKafka(dataDir.toAbsolutePath(), brokers, port, Map.copyOf(config),
                ScramSecurity.LISTENER, security.interBrokerListener(),
                Map.copyOf(security.clientConfig(ScramSecurity.ADMIN)));
        final Path storage = kafka.nodes.get(0).metaProperties();
        if (Files.exists(storage) && security.newlyCreated().contains(ScramSecurity.ADMIN)) {
            throw new IllegalStateException("The broker storage in " + storage.getParent()
                    + " was formatted without security (no administrator credential in " + security.folder()
                    + "); start the secure broker in a new data folder");
        }
        kafka.startAll(timeout);
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
     * Starts a cluster whose client listener is named {@code clientListenerName} (its security protocol set
     * in {@code overrides}), the brokers talking to each other through {@code interBrokerListenerName}; when
     * that is not the client listener, it gets loopback ports of its own (clients are told only of the
     * listener they connected through). Readiness is checked with {@code readinessClientConfig}.
     */
    private static EmbeddedKafka start(final Path dataDir, final int brokers, final int port,
            final Map<String, String> overrides, final String clientListenerName, final String interBrokerListenerName,
            final Map<String, Object> readinessClientConfig, final Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        final EmbeddedKafka kafka = new EmbeddedKafka(dataDir.toAbsolutePath(), brokers, port, Map.copyOf(overrides),
                clientListenerName, interBrokerListenerName, Map.copyOf(readinessClientConfig));
        kafka.startAll(timeout);
        return kafka;
    }

    /** Every node's client address, comma-separated. */
    public String bootstrapServers() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port).collect(Collectors.joining(","));
    }

    /** The first node's client port. */
    public int port() {
        return nodes.get(0).port;
    }

    /** How many nodes the cluster has. */
    public int brokers() {
        return nodes.size();
    }

    /** The ids of the nodes, 1 to {@link #brokers()}. */
    public List<Integer> brokerIds() {
        return nodes.stream().map(node -> node.id).toList();
    }

    /** The port of the listener the first node talks to the others through (the client port unless they differ). */
    int interBrokerPort() {
        return nodes.get(0).interBrokerPort;
    }

    public Path logFile() {
        return nodes.get(0).process.logFile();
    }

    /** The first node's process id. */
    public long pid() {
        return nodes.get(0).process.pid();
    }

    /** The process id of node {@code id}. */
    public long pid(final int id) {
        return node(id).process.pid();
    }

    /** True while every node runs. */
    public boolean isRunning() {
        return nodes.stream().allMatch(BrokerNode::isAlive);
    }

    /** True while node {@code id} runs. */
    public boolean isRunning(final int id) {
        return node(id).isAlive();
    }

    /** Stops every node gracefully; {@link #restart(Duration)} brings the cluster back on the same ports and storage. */
    public void stop() {
        // all at once: a node's controlled shutdown needs the controller quorum, which the first ones to stop would take away
        nodes.stream().filter(BrokerNode::isAlive).forEach(node -> node.process.requestStop());
        nodes.forEach(BrokerNode::stop);
    }

    /** Ends every node at once, as a crash or a power cut would. */
    public void kill() {
        nodes.forEach(BrokerNode::kill);
    }

    /** Ends node {@code id} at once, as a crash would; the others go on. */
    public void kill(final int id) {
        node(id).kill();
    }

    public void restart(final Duration timeout) throws IOException, TimeoutException, InterruptedException {
        stop();
        startAll(timeout);
    }

    /** Stops node {@code id} if it runs and starts it again on its ports and storage, waiting until it serves. */
    public void restart(final int id, final Duration timeout) throws IOException, TimeoutException, InterruptedException {
        final BrokerNode node = node(id);
        node.stop();
        node.start(serverProperties(node));
        await(node, timeout);
    }

    private BrokerNode node(final int id) {
        if (id < 1 || id > nodes.size()) {
            throw new IllegalArgumentException("No broker " + id + ": the cluster's brokers are 1 to " + nodes.size());
        }
        return nodes.get(id - 1);
    }

    private void startAll(final Duration timeout) throws IOException, TimeoutException, InterruptedException {
        refuseOtherLayout(dataDir, nodes.size());
        clusterId = clusterId();
        final long started = System.nanoTime();
        // every node first: a controller quorum of three elects a leader only once two of them run
        for (final BrokerNode node : nodes) {
            node.start(serverProperties(node));
        }
        try {
            for (final BrokerNode node : nodes) {
                await(node, timeout);
            }
        } catch (IllegalStateException | TimeoutException e) {
            stop();
            throw e;
        }
        LOG.info("Kafka {} ready on {} in {} ms (storage {})", nodes.size() == 1 ? "broker" : nodes.size() + "-broker cluster",
                bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dataDir.resolve("kafka"));
    }

    private void await(final BrokerNode node, final Duration timeout) throws TimeoutException, InterruptedException {
        try {
            Deadline.await("The Kafka broker " + node.id + "'s start on 127.0.0.1:" + node.port, timeout,
                    () -> answers(node), () -> !node.isAlive());
        } catch (IllegalStateException | TimeoutException e) {
            final String tail = node.process.logTail(40);
            node.stop();
            throw new IllegalStateException(e.getMessage() + "; its log " + node.process.logFile() + " ends:\n" + tail, e);
        }
    }

    /**
     * Refuses to start {@code brokers} nodes on a data folder formatted for another number: a data folder keeps
     * the number of nodes it was first started with, since the nodes' storage is not interchangeable.
     */
    static void refuseOtherLayout(final Path dataDir, final int brokers) throws IOException {
        final Path kafka = dataDir.toAbsolutePath().resolve("kafka");
        final boolean single = Files.isRegularFile(kafka.resolve("data").resolve("meta.properties"));
        final long clusterNodes;
        try (Stream<Path> entries = Files.isDirectory(kafka) ? Files.list(kafka) : Stream.empty()) {
            clusterNodes = entries.filter(path -> path.getFileName().toString().startsWith("broker-"))
                    .filter(path -> Files.isRegularFile(path.resolve("data").resolve("meta.properties"))).count();
        }
        final long formatted = single ? 1 : clusterNodes;
        if (formatted > 0 && (single != (brokers == 1) || formatted > brokers)) {
            throw new IllegalStateException("The data folder " + dataDir + " holds a Kafka cluster of " + formatted
                    + (formatted == 1 ? " broker" : " brokers") + ", not " + brokers + "; start it with --brokers "
                    + formatted + ", or use a new data folder");
        }
    }

    /** The cluster's id: the one a formatted node holds, else a new one for every node to be formatted with. */
    private String clusterId() throws IOException {
        for (final BrokerNode node : nodes) {
            if (Files.isRegularFile(node.metaProperties())) {
                final Properties meta = new Properties();
                try (var in = Files.newInputStream(node.metaProperties())) {
                    meta.load(in);
                }
                final String id = meta.getProperty("cluster.id");
                if (id != null && !id.isBlank()) {
                    return id;
                }
            }
        }
        return Uuid.randomUuid().toString();
    }

    private Map<String, String> serverProperties(final BrokerNode node) {
        final int replicas = Math.min(3, nodes.size());
        final String inSync = replicas >= 3 ? "2" : "1";
        final Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(node.id));
        props.put("controller.quorum.voters", nodes.stream().map(each -> each.id + "@127.0.0.1:" + each.controllerPort)
                .collect(Collectors.joining(",")));
        final String internal = clientListenerName.equals(interBrokerListenerName) ? ""
                : "," + interBrokerListenerName + "://127.0.0.1:" + node.interBrokerPort;
        props.put("listeners", clientListenerName + "://127.0.0.1:" + node.port + internal
                + ",CONTROLLER://127.0.0.1:" + node.controllerPort);
        props.put("advertised.listeners", clientListenerName + "://127.0.0.1:" + node.port + internal);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", interBrokerListenerName);
        props.put("listener.security.protocol.map", clientListenerName.equals("PLAINTEXT")
                ? "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                : clientListenerName + ":PLAINTEXT"
                        + (internal.isEmpty() ? "" : "," + interBrokerListenerName + ":PLAINTEXT")
                        + ",CONTROLLER:PLAINTEXT");
        props.put("log.dirs", node.workDir.resolve("data").toString());
        props.put("num.partitions", "1");
        props.put("default.replication.factor", Integer.toString(replicas));
        props.put("min.insync.replicas", inSync);
        props.put("offsets.topic.replication.factor", Integer.toString(replicas));
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", Integer.toString(replicas));
        props.put("transaction.state.log.min.isr", inSync);
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", Integer.toString(replicas));
        props.put("share.coordinator.state.topic.min.isr", inSync);
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        props.putAll(brokerConfig);
        props.put(KafkaBrokerMain.CLUSTER_ID_PROPERTY, clusterId);
        return props;
    }

    /** This JVM's class path with every entry absolute, since the child runs in another folder. */
    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
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

    /** The node listens and knows itself as a registered broker of the cluster. */
    private boolean answers(final BrokerNode node) {
        if (!Tcp.accepts(node.port)) {
            return false;
        }
        final Map<String, Object> config = new LinkedHashMap<>(readinessClientConfig);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + node.port);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(config)) {
            return admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).stream().map(Node::id)
                    .anyMatch(id -> id == node.id);
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

    /** One node of the cluster: its ports, its storage and, while it runs, its process. */
    private final class BrokerNode {

        final int id;
        final int port;
        final int controllerPort;
        final int interBrokerPort;
        final Path workDir;
        ChildProcess process;

        BrokerNode(final int id, final int port, final int controllerPort, final int interBrokerPort,
                final Path workDir) {
            this.id = id;
            this.port = port;
            this.controllerPort = controllerPort;
            this.interBrokerPort = interBrokerPort;
            this.workDir = workDir;
        }

        Path metaProperties() {
            return workDir.resolve("data").resolve("meta.properties");
        }

        void start(final Map<String, String> serverProperties) throws IOException {
            Files.createDirectories(workDir);
            final Path propertiesFile = workDir.resolve("server.properties");
            final Properties props = new Properties();
            props.putAll(serverProperties);
            try (OutputStream out = Files.newOutputStream(propertiesFile)) {
                props.store(out, "Written by csp-hub's embedded stack at each start");
            }
            process = ChildProcess.startJava(nodes.size() == 1 ? "kafka-broker" : "kafka-broker-" + id,
                    JavaRuntime.current(),
                    List.of(nodes.size() == 1 ? "-Xms256m" : "-Xms128m", "-Xmx768m", "-XX:+UseG1GC",
                            "-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + writeLogConfig(workDir)),
                    absoluteClassPath(), KafkaBrokerMain.class.getName(), List.of(propertiesFile.toString()), workDir);
        }

        boolean isAlive() {
            return process != null && process.isAlive();
        }

        void stop() {
            if (process != null) {
                process.close();
            }
        }

        void kill() {
            if (process != null) {
                process.kill();
            }
        }
    }
}
