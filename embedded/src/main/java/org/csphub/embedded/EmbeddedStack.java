package org.csphub.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a real KRaft broker and a real schema registry, started side by side on
 * loopback, stopped together on {@link #close()} or when this JVM exits (Ctrl-C included).
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    /** What to start: a data folder the stack keeps its state in, and ports (0 for free ones). */
    public record Options(Path dataDir, int kafkaPort, int registryPort, Map<String, String> brokerConfig,
            Duration timeout) {

        public Options {
            dataDir = dataDir.toAbsolutePath();
            brokerConfig = Map.copyOf(brokerConfig);
        }

        /** Free ports, a plain-text broker, and three minutes to start in (a loaded machine is slow). */
        public static Options ephemeral(final Path dataDir) {
            return new Options(dataDir, 0, 0, Map.of(), Duration.ofSeconds(180));
        }
    }

    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;
    private final Thread shutdownHook;
    private final long startMillis;

    private EmbeddedStack(final EmbeddedKafka kafka, final EmbeddedRegistry registry, final long startMillis) {
        this.kafka = kafka;
        this.registry = registry;
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
        final CompletableFuture<EmbeddedRegistry> registry = CompletableFuture.supplyAsync(() -> {
            try {
                return EmbeddedRegistry.start(options.dataDir(), options.registryPort(), options.timeout());
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        final EmbeddedKafka kafka;
        try {
            kafka = security == null
                    ? EmbeddedKafka.start(options.dataDir(), options.kafkaPort(), options.brokerConfig(),
                            options.timeout())
                    : EmbeddedKafka.startSecure(options.dataDir(), options.kafkaPort(), security,
                            options.brokerConfig(), options.timeout());
        } catch (Exception e) {
            registry.thenAccept(EmbeddedRegistry::close);
            throw e;
        }
        try {
            final EmbeddedStack stack = new EmbeddedStack(kafka, registry.join(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            LOG.info("Embedded stack ready in {} ms: Kafka {}, schema registry {}", stack.startMillis,
                    kafka.bootstrapServers(), stack.registry.url());
            return stack;
        } catch (CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof Exception cause ? cause : e;
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

    /** How long the start took, both servers ready. */
    public long startMillis() {
        return startMillis;
    }

    private void stopAll() {
        kafka.close();
        registry.close();
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
