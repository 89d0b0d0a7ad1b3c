package org.csphub.hub;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.csphub.access.AccessPolicy;
import org.csphub.access.AclApplier;
import org.csphub.access.AclPlan;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedPostgres;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.ListenerTls;
import org.csphub.embedded.ScramSecurity;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.Replication;
import org.csphub.topics.TopicProvisioner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub stack}: the embedded broker and registry, and PostgreSQL when asked, until Ctrl-C. */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Starts a real Kafka broker (KRaft; --brokers for a cluster) and a real schema registry (Apicurio "
                + "Registry, Confluent-compatible API) on loopback, with --postgres a real PostgreSQL too, prints "
                + "their addresses, and runs until Ctrl-C.")
final class StackCommand implements Callable<Integer> {

    private static final String EXAMPLE = "the built-in example access file";

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "The broker's client port (default 9092; 0 for any free port).")
    Integer kafkaPort;

    @Option(names = "--brokers", paramLabel = "N", defaultValue = "1", description = "How many Kafka brokers to "
            + "run (default ${DEFAULT-VALUE}): each a combined broker and KRaft controller, their client ports from "
            + "--kafka-port on. The hub's topics then get min(3, N) replicas, two of them in sync from three, unless "
            + "topics.replication.factor says otherwise. A data folder keeps the number it was first started with.")
    int brokers;

    @Option(names = "--registry-port", paramLabel = "PORT", description = "The registry's port (default 8081; 0 for any free port).")
    Integer registryPort;

    @Option(names = "--postgres", description = "Start PostgreSQL too, its cluster in <data dir>/postgres (kept "
            + "across restarts), unless postgres.url names a server of your own; hub sink postgres and hub status on "
            + "the same data folder find it.")
    boolean postgres;

    @Option(names = "--postgres-port", paramLabel = "PORT", description = "With --postgres: PostgreSQL's port "
            + "(default: postgres.port; 0, its default, is the port of the previous start when free, else any free port).")
    Integer postgresPort;

    @Option(names = "--secure", description = "Authenticate every client with SASL/SCRAM-SHA-512 (over TLS with "
            + "--keystore) and authorize by ACLs (deny by default): creates a credential for each principal of the access file, creates the hub's "
            + "topics and applies the file's ACLs. Needs a data folder that was never started without --secure.")
    boolean secure;

    @Option(names = "--access", paramLabel = "FILE", description = "The access file for --secure (default: the "
            + "access.file setting, or <data dir>/access.yaml when it exists; else the built-in example for the "
            + "default geography, whose intake and query tokens are public).")
    Path accessFile;

    @Option(names = "--keystore", paramLabel = "FILE", description = "With --secure: TLS on the client listener "
            + "(SASL_SSL) with this keystore of the broker's private key and a certificate naming 127.0.0.1 (default: "
            + "the embedded.kafka.ssl.keystore.location setting; none means SASL_PLAINTEXT). Its password comes from "
            + "embedded.kafka.ssl.keystore.password (configuration file or environment).")
    Path keystore;

    @Option(names = "--truststore", paramLabel = "FILE", description = "With --keystore: the truststore that trusts "
            + "the broker's certificate, written into each credentials file (default: the "
            + "embedded.kafka.ssl.truststore.location setting, else the JDK's default trust). Its password comes "
            + "from embedded.kafka.ssl.truststore.password.")
    Path truststore;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (accessFile != null && !secure) {
            throw new IllegalArgumentException("--access applies to a secure stack; add --secure");
        }
        if ((keystore != null || truststore != null) && !secure) {
            throw new IllegalArgumentException("--keystore and --truststore apply to a secure stack; add --secure");
        }
        if (brokers < 1) {
            throw new IllegalArgumentException("--brokers needs at least 1 broker, not " + brokers);
        }
        if (postgresPort != null && !postgres) {
            throw new IllegalArgumentException("--postgres-port applies to the embedded PostgreSQL; add --postgres");
        }
        final Map<String, String> stores = new HashMap<>();
        if (keystore != null) {
            stores.put(HubConfig.EMBEDDED_KEYSTORE_LOCATION, keystore.toAbsolutePath().toString());
        }
        if (truststore != null) {
            stores.put(HubConfig.EMBEDDED_TRUSTSTORE_LOCATION, truststore.toAbsolutePath().toString());
        }
        final HubConfig config = connection.config(stores);
        final Optional<ListenerTls> tls = listenerTls(config);
        final int kafka = kafkaPort != null ? kafkaPort : config.getInt(HubConfig.KAFKA_PORT);
        final int registry = registryPort != null ? registryPort : config.getInt(HubConfig.REGISTRY_PORT);
        final var out = spec.commandLine().getOut();
        out.printf("Starting the embedded stack in %s ...%n", config.dataDir());
        out.flush();
        final Optional<Path> access = secure ? accessFile(config) : Optional.empty();
        final FeedCatalog catalog = FeedCatalog.of(config);
        final AccessPolicy policy = !secure ? null : access.map(file -> AccessPolicy.load(file, catalog))
                .orElseGet(() -> AccessPolicy.parse(AccessPolicy.example(), EXAMPLE, catalog));
        final ScramSecurity security = secure ? ScramSecurity.prepare(config.dataDir(), policy.principals(), tls)
                : null;
        final boolean embeddedPostgres = postgres && !config.isSet(HubConfig.POSTGRES_URL);
        final EmbeddedStack.Options options = new EmbeddedStack.Options(config.dataDir(), kafka, registry, Map.of(),
                Duration.ofSeconds(90)).withBrokers(brokers);
        try (EmbeddedStack stack = EmbeddedStack.start(!embeddedPostgres ? options : options.withPostgres(
                postgresPort != null ? postgresPort : config.getInt(HubConfig.POSTGRES_PORT)), security)) {
            final Replication replication = Replication.of(config.getInt(HubConfig.TOPIC_REPLICATION), brokers);
            out.printf("Kafka bootstrap servers: %s%s%n", stack.bootstrapServers(), brokers == 1 ? ""
                    : " (" + brokers + " brokers; the hub's topics with " + replication.factor() + " replicas, "
                            + replication.minInSyncReplicas() + " in sync)");
            out.printf("Schema registry:         %s%n", stack.schemaRegistryUrl());
            if (stack.postgres().isPresent()) {
                out.printf("PostgreSQL:              %s (user %s, no password)%n", stack.postgres().get().url(),
                        EmbeddedPostgres.USER);
                out.printf("psql:                    %s%n", stack.postgres().get().psqlCommand());
            } else if (postgres) {
                out.printf("PostgreSQL:              %s (postgres.url, from %s: not started here)%n",
                        config.get(HubConfig.POSTGRES_URL), config.origin(HubConfig.POSTGRES_URL));
            }
            out.printf("Data:                    %s%n", config.dataDir());
            if (secure) {
                secure(config, stack, policy, access, security, out);
            }
            out.printf("Ready in %.1f s. Press Ctrl-C to stop.%n", stack.startMillis() / 1000.0);
            out.flush();
            new CountDownLatch(1).await();
        }
        return 0;
    }

    /**
     * TLS for the client listener when a keystore is configured; relative store locations in the
     * configuration are taken against the data folder, as the access file is.
     */
    private Optional<ListenerTls> listenerTls(final HubConfig config) {
        final Optional<String> keys = config.find(HubConfig.EMBEDDED_KEYSTORE_LOCATION);
        if (keys.isEmpty()) {
            if (config.find(HubConfig.EMBEDDED_TRUSTSTORE_LOCATION).isPresent() && secure) {
                throw new IllegalArgumentException("A truststore (" + HubConfig.EMBEDDED_TRUSTSTORE_LOCATION
                        + ", from " + config.origin(HubConfig.EMBEDDED_TRUSTSTORE_LOCATION) + ") is for a broker "
                        + "with TLS; give its keystore too (--keystore or " + HubConfig.EMBEDDED_KEYSTORE_LOCATION + ")");
            }
            return Optional.empty();
        }
        if (!secure) {
            // TLS without authentication is not a mode the stack has; starting without TLS would surprise
            throw new IllegalArgumentException("A keystore is configured (" + HubConfig.EMBEDDED_KEYSTORE_LOCATION
                    + ", from " + config.origin(HubConfig.EMBEDDED_KEYSTORE_LOCATION) + "): TLS is for a secure "
                    + "stack; add --secure");
        }
        final String password = config.find(HubConfig.EMBEDDED_KEYSTORE_PASSWORD).orElseThrow(() ->
                new IllegalArgumentException("The keystore " + keys.get() + " needs its password: set "
                        + HubConfig.EMBEDDED_KEYSTORE_PASSWORD + " in the configuration file or "
                        + HubConfig.environmentVariable(HubConfig.EMBEDDED_KEYSTORE_PASSWORD)));
        final Path dataDir = config.dataDir();
        return Optional.of(ListenerTls.load(dataDir.resolve(keys.get().trim()),
                config.get(HubConfig.EMBEDDED_KEYSTORE_TYPE), password,
                config.find(HubConfig.EMBEDDED_KEY_PASSWORD).orElse(""),
                config.find(HubConfig.EMBEDDED_TRUSTSTORE_LOCATION).map(String::trim).map(dataDir::resolve),
                config.get(HubConfig.EMBEDDED_TRUSTSTORE_TYPE),
                config.find(HubConfig.EMBEDDED_TRUSTSTORE_PASSWORD).orElse("")));
    }

    /** {@code --access}, else the configured access file when it is set or exists; empty means the built-in example. */
    private Optional<Path> accessFile(final HubConfig config) {
        if (accessFile != null) {
            return Optional.of(accessFile);
        }
        final Path configured = config.accessFile();
        return config.find(HubConfig.ACCESS_FILE).isPresent() || Files.isRegularFile(configured)
                ? Optional.of(configured) : Optional.empty();
    }

    /** Creates the topics and applies the access file's ACLs as the administrator, and says where the credentials are. */
    private void secure(final HubConfig config, final EmbeddedStack stack, final AccessPolicy policy,
            final Optional<Path> access, final ScramSecurity security, final PrintWriter out) throws Exception {
        final Map<String, Object> properties = new HashMap<>(security.clientConfig(ScramSecurity.ADMIN));
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        final AclPlan plan;
        try (Admin admin = Admin.create(properties)) {
            new TopicProvisioner(admin, TopicSetup.layout(config), policy.catalog()).ensureAll();
            plan = new AclApplier(admin).apply(policy);
        }
        out.printf("Security:                %s with SCRAM-SHA-512%s, ACLs deny by default "
                + "(%d from %s, %d added now)%n", security.securityProtocol(),
                security.tls().map(tls -> " over TLS (certificate " + tls.subject() + ", keystore "
                        + tls.keystore() + ")").orElse(""),
                plan.wanted().size(), access.map(Path::toString).orElse(EXAMPLE), plan.missing().size());
        out.printf("Credentials:             %s (one properties file per principal, owner-only; "
                + "e.g. hub acl plan --config %s --access FILE)%n", security.folder(),
                security.credentialsFile(ScramSecurity.ADMIN));
        out.printf("Client settings:         kafka.security.protocol=%s, kafka.sasl.mechanism=%s, "
                + "kafka.sasl.jaas.config=<the principal's>%s; each credentials file holds them all%n",
                security.securityProtocol(), ScramSecurity.MECHANISM,
                security.tls().map(tls -> tls.truststore()
                        .map(path -> ", kafka.ssl.truststore.location=" + path + " (with its type and password)")
                        .orElse(" and no truststore (the JDK's default trust)")).orElse(""));
        out.printf("Readers of the metrics:  %s%n", policy.audienceReaders().isEmpty() ? "none but the sinks"
                : policy.audienceReaders().stream().map(reader -> reader.principal() + " (" + reader.audience() + ")")
                        .collect(Collectors.joining(", ")));
        if (access.isEmpty()) {
            out.println("                         The example access file's intake and query tokens are public: "
                    + "use --access with your own file for anything but a trial.");
        }
    }
}
