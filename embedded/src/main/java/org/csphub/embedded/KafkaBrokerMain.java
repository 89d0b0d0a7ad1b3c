package org.csphub.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * The main class of the broker's child process: formats the storage on first start (a later start
 * reuses it) and runs a combined broker and controller in KRaft mode until it is told to stop.
 *
 * <p>Arguments: the server properties file. Properties starting with {@code csphub.format.} are
 * read here and not passed to the broker: {@code csphub.format.scram} holds SCRAM credentials to
 * create at format time, separated by {@code ;}, each in the form the storage tool's
 * {@code --add-scram} takes; {@code csphub.format.cluster.id} is the id to format with, the same on every
 * node of a cluster (a random one when it is absent).
 */
public final class KafkaBrokerMain {

    static final String SCRAM_PROPERTY = "csphub.format.scram";
    static final String CLUSTER_ID_PROPERTY = "csphub.format.cluster.id";

    private KafkaBrokerMain() {
    }

    public static void main(final String[] args) throws Exception {
        final Properties all = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            all.load(in);
        }
        final String scram = (String) all.remove(SCRAM_PROPERTY);
        final String clusterId = (String) all.remove(CLUSTER_ID_PROPERTY);
        final KafkaConfig config = KafkaConfig.fromProps(all, false);
        format(config, all, scram, clusterId == null || clusterId.isBlank() ? Uuid.randomUuid().toString() : clusterId);
        final KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "broker-shutdown"));
        server.startup();
        System.out.println("csp-hub: broker started");
        server.awaitShutdown();
    }

    private static void format(final KafkaConfig config, final Properties props, final String scram,
            final String clusterId) throws Exception {
        final String logDir = props.getProperty("log.dirs");
        if (Files.isRegularFile(Path.of(logDir, "meta.properties"))) {
            return; // formatted by an earlier start: keep its cluster id and data
        }
        Files.createDirectories(Path.of(logDir));
        final Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(System.out, true))
                .setNodeId(config.nodeId())
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir))
                .setMetadataLogDirectory(logDir)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName(config.controllerListenerNames().get(0));
        if (scram != null && !scram.isBlank()) {
            formatter.setScramArguments(Arrays.stream(scram.split(";")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toList());
        }
        try {
            formatter.run();
        } catch (IOException e) {
            throw new IOException("Could not format the broker's storage in " + logDir + ": " + e.getMessage(), e);
        }
    }
}
