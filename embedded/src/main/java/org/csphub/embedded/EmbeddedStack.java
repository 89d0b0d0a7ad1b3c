package org.csphub.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a real KRaft broker (or cluster of brokers) and a real schema registry, and when asked a real
 * PostgreSQL, started side by side on loopback, stopped together on {@link #close()} or when this JVM
 * exits (Ctrl-C included).
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    /**
     * What to start: a data folder the stack keeps its state in, and ports (0 for free ones); PostgreSQL on
     * {@code postgresPort} when present (see {@link EmbeddedPostgres#start} for 0); a Kafka cluster of
     * {@code brokers} nodes, their client ports from {@code kafkaPort} on.
     */
    public record Options(Path dataDir, int kafkaPort, int registryPort, Map<String, String> brokerConfig,
            Duration timeout, OptionalInt postgresPort, int brokers) {

        public Options {
            dataDir = dataDir.toAbsolutePath();
            brokerConfig = Map.copyOf(brokerConfig);
            if (brokers < 1) {
                throw new IllegalArgumentException("A Kafka cluster needs at least one broker, not " + brokers);
            }
        }

        /** A single broker and the registry alone. */
        public Options(final Path dataDir, final int kafkaPort, final int registryPort,
                final Map<String, String> brokerConfig, final Duration timeout) {
            this(dataDir, kafkaPort, registryPort, brokerConfig, timeout, OptionalInt.empty(), 1);
        }

        /** The same, with PostgreSQL too. */
        public Options withPostgres(final int port) {
            return new Options(dataDir, kafkaPort, registryPort, brokerConfig, timeout, OptionalInt.of(port), brokers);
        }

        /** The same, with a Kafka cluster of {@code count} brokers. */
        public Options withBrokers(final int count) {
            return new Options(dataDir, kafkaPort, registryPort, brokerConfig, timeout, postgresPort, count);
        }

        /** Free ports, a plain-text broker, and three minutes to start in (a loaded machine is slow). */
        public static Options ephemeral(final Path dataDir) {
            return new Options(dataDir, 0, 0, Map.of(), Duration.ofSeconds(180));
        }
    }

    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;
    private final EmbeddedPostgres postgres;
    private final Thread shutdownHook;
    private final long startMillis;

    private EmbeddedStack(final EmbeddedKafka kafka, final EmbeddedRegistry registry, final EmbeddedPostgres postgres,
            final long startMillis) {
        this.kafka = kafka;
        this.registry = registry;
        this.postgres = postgres;
        this.startMillis = startMillis;
        this.shutdownHook = new Thread(this::stopAll, "embedded-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static EmbeddedStack start(final Options options) throws Exception {
        return start(options, null);
    }

    /**
     * Starts the stack with the broker's client listener authenticated by SASL/SCRAM and the ACL
     * authorizer on (see {@link EmbeddedKafka#startSecure}); {@code security} null means plain text.
     */
    public static EmbeddedStack start(final Options options, final ScramSecurity security) throws Exception {
        final long started = System.nanoTime();
        // before anything starts: a refused layout must not leave a registry behind
        EmbeddedKafka.refuseOtherLayout(options.dataDir(), options.brokers());
        // a thread each: the common pool has a single thread on two cores, and would start them one after the other
        final Executor ownThread = task -> Thread.ofPlatform().name("embedded-stack-start").daemon().start(task);
        final CompletableFuture<EmbeddedRegistry> registry = CompletableFuture.supplyAsync(() -> {
            try {
                return EmbeddedRegistry.start(options.dataDir(), options.registryPort(), options.timeout());
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, ownThread);
        final CompletableFuture<EmbeddedPostgres> postgres = options.postgresPort().isEmpty()
                ? CompletableFuture.completedFuture(null) : CompletableFuture.supplyAsync(() -> {
                    try {
                        return EmbeddedPostgres.start(options.dataDir(), options.postgresPort().getAsInt(),
                                options.timeout());
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }, ownThread);
        final EmbeddedKafka kafka;
        try {
            kafka = security == null
                    ? EmbeddedKafka.start(options.dataDir(), options.brokers(), options.kafkaPort(),
                            options.brokerConfig(), options.timeout())
                    : EmbeddedKafka.startSecure(options.dataDir(), options.brokers(), options.kafkaPort(), security,
                            options.brokerConfig(), options.timeout());
        } catch (Exception e) {
            // wait for the others to be up (or to have failed) and stop them, before this JVM may exit
            CompletableFuture.allOf(registry.thenAccept(EmbeddedRegistry::close),
                    postgres.thenAccept(server -> close(server))).exceptionally(failure -> null).join();
            throw e;
        }
        try {
            CompletableFuture.allOf(registry, postgres).exceptionally(e -> null).join();
            final EmbeddedStack stack = new EmbeddedStack(kafka, registry.join(), postgres.join(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            LOG.info("Embedded stack ready in {} ms: Kafka {}, schema registry {}{}", stack.startMillis,
                    kafka.bootstrapServers(), stack.registry.url(),
                    stack.postgres == null ? "" : ", PostgreSQL " + stack.postgres.url());
            return stack;
        } catch (CompletionException e) {
            // one of them failed: stop whatever did start
            kafka.close();
            registry.thenAccept(EmbeddedRegistry::close);
            postgres.thenAccept(server -> close(server));
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void close(final EmbeddedPostgres server) {
        if (server != null) {
            server.close();
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return registry.url();
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedRegistry registry() {
        return registry;
    }

    /** The PostgreSQL server, when the options asked for one. */
    public Optional<EmbeddedPostgres> postgres() {
        return Optional.ofNullable(postgres);
    }

    /** How long the start took, every server ready. */
    public long startMillis() {
        return startMillis;
    }

    private void stopAll() {
        kafka.close();
        registry.close();
        close(postgres);
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
    }
}
